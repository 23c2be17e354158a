// Exercise 14: a request over HTTPS from curl trusting the local CA (found in nginx's log with its TLS
// facts), then the stack made HTTPS only: plain HTTP redirects, HSTS over HTTPS, Secure cookies.
import { CHECKER_USER_AGENT, defineChecks, type LogLine } from '../../../tools/course/check-kit.js';

const NEXT = 'Send the request of step 3 of docs/exercises/14-tls-at-the-gate/README.md (to https://localhost:8443, with --cacert; your id must start with lesson14-).';
const HTTPS_ONLY = 'Set HTTPS_ONLY=1 in .env and run make restart (step 6): nginx and the app must both read it.';

/** nginx's lines for the learner's own requests: an id starting with lesson14-, not the checks' own. */
function lessonLines(nginx: LogLine[]): LogLine[] {
  return nginx.filter((l) => String(l.request_id).startsWith('lesson14-') && l.user_agent !== CHECKER_USER_AGENT);
}

export default defineChecks([
  {
    name: 'curl reached nginx over HTTPS, trusting the local CA, with an id starting "lesson14-"',
    async run(c) {
      const lines = lessonLines((await c.logs()).nginx);
      if (lines.length === 0) c.notInLogs("nginx's access log has no request whose id starts with lesson14- (it keeps the last requests only).", NEXT);
      const overTls = lines.filter((l) => l.scheme === 'https' && String(l.tls_protocol ?? '') !== '');
      if (overTls.length === 0) {
        c.notInLogs(`Your lesson14- requests arrived over plain HTTP (port ${c.settings.ports.http}): nothing was encrypted.`, NEXT);
      }
      if (!overTls.some((l) => String(l.user_agent).startsWith('curl/'))) {
        c.notInLogs(`Your lesson14- request over HTTPS came from "${String(overTls.at(-1)!.user_agent)}", not from curl.`, NEXT);
      }
    },
  },
  {
    name: 'the app learns that the browser used HTTPS (X-Forwarded-Proto: https)',
    async run(c) {
      const res = await c.client({ https: true }).get('/debug/request', { Accept: 'application/json' });
      const seen = res.status === 200 ? res.json<{ protocol?: string }>() : {};
      if (seen.protocol !== 'https') {
        c.notYet(
          `Over HTTPS, /debug/request (status ${res.status}) says the protocol was ${seen.protocol ?? '(none)'}.`,
          'nginx/snippets/proxy-to-app.conf must set X-Forwarded-Proto to $scheme; put it back and run make reload.',
        );
      }
    },
  },
  {
    name: 'plain HTTP only redirects to the same address over HTTPS',
    async run(c) {
      const res = await c.client({ https: false }).get('/login?from=check14');
      const expected = `https://localhost:${c.settings.ports.https}/login?from=check14`;
      if (res.status < 300 || res.status > 308 || res.headers.location !== expected) {
        c.notYet(`Over plain HTTP, /login answered ${res.status}${res.headers.location ? ` with Location ${res.headers.location}` : ''}, not a redirect to ${expected}.`, HTTPS_ONLY);
      }
    },
  },
  {
    name: 'HTTPS answers send HSTS, and a sign-in over HTTPS sets its cookies Secure',
    async run(c) {
      const page = await c.client({ https: true }).get('/');
      const hsts = String(page.headers['strict-transport-security'] ?? '');
      if (!/max-age=\d+/.test(hsts)) c.notYet(`The home page over HTTPS came without a Strict-Transport-Security header.`, HTTPS_ONLY);
      const { response } = await c.temporaryUser('tls');
      const cookies = response.headers['set-cookie'] ?? [];
      const plain = cookies.filter((line) => !/;\s*secure/i.test(line)).map((line) => line.split('=')[0]);
      if (cookies.length === 0 || plain.length > 0) {
        c.notYet(
          `The sign-in over HTTPS set ${plain.length ? `${plain.join(', ')} without Secure` : 'no cookie'}: the app still runs with HTTPS_ONLY=0.`,
          'Run make restart after setting HTTPS_ONLY=1 in .env: make reload gives the setting to nginx only, not to the app.',
        );
      }
    },
  },
]);

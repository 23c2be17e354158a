// Exercise 10: an SQL injection stored as plain text and harmless at sign-in; nginx's rate limit
// lowered in .env, loaded, and seen refusing sign-in posts by itself; then the usual limits back.
import { CHECKER_USER_AGENT, defineChecks, type LogLine } from '../../../tools/course/check-kit.js';

const INJECTION = "' OR 1=1 --";
// AUTH_BURST in .env.example: how many quick posts nginx lets through before refusing, usually.
const USUAL_BURST = 10;

/** The sign-in limits in the configuration nginx has loaded ('?' when not found). */
function loadedLimits(config: string): { rate: string; burst: string } {
  return {
    rate: /zone=stacklab_auth:\S+\s+rate=(\d+)r\/m/.exec(config)?.[1] ?? '?',
    burst: /limit_req\s+zone=stacklab_auth\s+burst=(\d+)/.exec(config)?.[1] ?? '?',
  };
}

export default defineChecks([
  {
    name: `a user whose name contains ${INJECTION} is stored exactly as typed`,
    async run(c) {
      // The attack is passed as a placeholder value too: to this query it is just text to look for.
      const rows = await c.sql('SELECT username FROM users WHERE username LIKE ? ORDER BY id DESC', [`%${INJECTION}%`]);
      if (!rows.some((r) => String(r.username).includes(INJECTION))) {
        c.notYet(`No username in the users table contains ${INJECTION}.`, "Register the user ' OR 1=1 -- x, as in step 1 of docs/exercises/10-security/README.md.");
      }
    },
  },
  {
    name: 'signing in with that name and a wrong password is refused',
    async run(c) {
      const [row] = await c.sql('SELECT username FROM users WHERE username LIKE ? ORDER BY id DESC LIMIT 1', [`%${INJECTION}%`]);
      const res = await c.client().login(String(row?.username), c.random('wrong-password'));
      if (res.status !== 401) {
        c.notYet(
          `Signing in as ${String(row?.username)} with a wrong password answered ${res.status}, not 401.`,
          'Every query in app/src/db/users.ts must keep its ? placeholders; undo any change there and run make restart SERVICE=app.',
        );
      }
    },
  },
  {
    name: 'nginx refused sign-in posts with 429 by itself, with the tighter limits you set in .env and loaded',
    async run(c) {
      const { nginx } = await c.logs();
      const posts = nginx.filter((l) => l.method === 'POST' && /^\/(login|register)$/.test(String(l.uri)) && l.user_agent !== CHECKER_USER_AGENT);
      // No app hop (empty upstream_addr): nginx answered by itself.
      const refusals = posts.filter((l) => l.status === 429 && l.upstream_addr === '');
      if (refusals.length === 0) {
        const loaded = loadedLimits(await c.nginxConfig());
        const { ratePerMinute, burst } = c.settings.authLimit;
        if (loaded.rate !== String(ratePerMinute) || loaded.burst !== String(burst)) {
          c.notYet(
            `nginx's access log has no 429 for /login, and nginx still runs rate=${loaded.rate}r/m, burst=${loaded.burst}, while .env says ${ratePerMinute} and ${burst}.`,
            'Run make reload after editing .env (with Docker: make up), as in step 5; then send the guesses of step 6.',
          );
        }
        c.notInLogs("nginx's access log has no 429 for /login (it keeps the newest requests only).", 'Lower the limits (step 5) and send the guesses of step 6 in one quick loop.');
      }
      // How many posts from the same address nginx let through in the minute before its first
      // refusal: a few with the limits of step 5, more than the usual burst with the usual ones.
      const passedBefore = (refusal: LogLine) =>
        posts.filter((l) => l.remote_addr === refusal.remote_addr && l.status !== 429 && Number(l.msec) <= Number(refusal.msec) && Number(l.msec) > Number(refusal.msec) - 60).length;
      const fewest = Math.min(...refusals.map(passedBefore));
      const usual = Math.max(c.settings.authLimit.burst, USUAL_BURST);
      if (fewest > usual) {
        c.notYet(
          `nginx refused a post only after letting ${fewest} through within a minute: that is the usual limit (a burst of ${usual}), not one you lowered.`,
          'Set AUTH_RATE_PER_MINUTE=5 and AUTH_BURST=2 in .env and run make reload (step 5), then send the 8 guesses of step 6.',
        );
      }
    },
  },
  {
    name: 'nginx runs the limits .env sets now (you reloaded after your last edit, step 7)',
    async run(c) {
      const { ratePerMinute, burst } = c.settings.authLimit;
      const loaded = loadedLimits(await c.nginxConfig());
      if (loaded.rate !== String(ratePerMinute) || loaded.burst !== String(burst)) {
        c.notYet(
          `.env says ${ratePerMinute} posts a minute with a burst of ${burst}; nginx has loaded rate=${loaded.rate}r/m, burst=${loaded.burst}.`,
          'Run make reload after editing .env (with Docker: make up), as in step 7.',
        );
      }
    },
  },
]);

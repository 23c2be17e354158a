// Exercise 1: a user registered with curl (the form posted with the token and the cookie jar), then
// its account page opened with the same jar. Seen in the database, and in nginx's and the app's logs,
// joined by the request id.
import { defineChecks, type CheckContext, type LogLine } from '../../../tools/course/check-kit.js';

const byCurl = (l: LogLine) => String(l.user_agent).startsWith('curl/');

/** The ids of the users whose name starts with "curl-". */
async function curlUserIds(c: CheckContext): Promise<Set<number>> {
  const rows = await c.sql("SELECT id FROM users WHERE username LIKE 'curl-%'");
  return new Set(rows.map((r) => Number(r.id)));
}

/** The app's log lines of the requests that nginx logged with `matches`, joined by request id. */
async function appLinesFor(c: CheckContext, matches: (l: LogLine) => boolean): Promise<{ sent: number; app: LogLine[] }> {
  const { nginx, app } = await c.logs();
  const ids = new Set(nginx.filter(matches).map((l) => String(l.request_id)));
  return { sent: ids.size, app: app.filter((l) => ids.has(String(l.requestId))) };
}

export default defineChecks([
  {
    name: 'a user whose name starts with "curl-" is registered',
    async run(c) {
      if ((await curlUserIds(c)).size > 0) return;
      // What curl's last registration got tells what went wrong.
      const { nginx } = await c.logs();
      const last = nginx.filter((l) => l.method === 'POST' && l.uri === '/register' && byCurl(l)).at(-1);
      const why: Record<number, [string, string]> = {
        303: ['curl registered a user, but not one whose name starts with "curl-".', 'Register again with a username that starts with curl-, as in step 3.'],
        403: [
          "curl's last POST /register answered 403: the CSRF token did not belong to the session in the cookie jar.",
          'Fetch the form and post it with the same jar (-c /tmp/jar -b /tmp/jar on both), as in step 3.',
        ],
        409: ['curl\'s last POST /register answered 409: that username is taken.', 'Pick another name that starts with curl-.'],
        422: ["curl's last POST /register answered 422: the form broke a rule (read the message in its answer).", 'A password of 8 characters or more, typed the same twice.'],
        429: ["curl's last POST /register answered 429: too many posts in a short time.", 'Wait a minute, then post the form once more.'],
      };
      const [reason, next] = (last && why[Number(last.status)]) ?? [
        'No username in the users table starts with "curl-".',
        'Do step 3 of docs/exercises/01-http-by-hand/README.md.',
      ];
      c.notYet(reason, next);
    },
  },
  {
    name: 'curl registered it: POST /register answered 303 and created that user',
    async run(c) {
      const curlUsers = await curlUserIds(c);
      const { sent, app } = await appLinesFor(c, (l) => l.method === 'POST' && l.uri === '/register' && l.status === 303 && byCurl(l));
      if (sent === 0) {
        c.notInLogs(
          "nginx's access log has no registration sent by curl that answered 303 (it keeps the newest requests only).",
          'Register a curl- user with curl, as in step 3, and look for the 303 in the answer.',
        );
      }
      const registered = app.filter((l) => l.event === 'user_registered').map((l) => Number(l.userId));
      if (!registered.some((id) => curlUsers.has(id))) {
        c.notInLogs(
          'curl registered someone, but no user whose name starts with "curl-".',
          'Register a user named curl-something with curl, as in step 3.',
        );
      }
    },
  },
  {
    name: "curl opened that user's account page with the cookie jar (200, not the 302 to /login)",
    async run(c) {
      const curlUsers = await curlUserIds(c);
      const { sent, app } = await appLinesFor(c, (l) => l.method === 'GET' && l.uri === '/account' && l.status === 200 && byCurl(l));
      if (!app.some((l) => l.event === 'request' && curlUsers.has(Number(l.userId)))) {
        c.notInLogs(
          sent === 0
            ? "nginx's access log has no /account page sent to curl with 200: without the cookie, /account answers 302 (it keeps the newest requests only)."
            : 'curl opened /account signed in, but as a user whose name does not start with "curl-".',
          'Open /account with the jar your curl- user signed in with: curl -s -b /tmp/jar http://localhost:8080/account (step 4).',
        );
      }
    },
  },
]);

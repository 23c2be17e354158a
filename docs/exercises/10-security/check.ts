// Exercise 10: an SQL injection stored as plain text and harmless at sign-in; nginx's rate limit
// loaded from .env and seen refusing sign-in posts by itself.
import { defineChecks } from '../../../tools/course/check-kit.js';

const INJECTION = "' OR 1=1 --";

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
    name: 'nginx runs with the sign-in limits that .env sets',
    async run(c) {
      const rate = String(c.settings.authLimit.ratePerMinute);
      const burst = String(c.settings.authLimit.burst);
      const config = await c.nginxConfig();
      const loadedRate = /zone=stacklab_auth:\S+\s+rate=(\d+)r\/m/.exec(config)?.[1];
      const loadedBurst = /limit_req\s+zone=stacklab_auth\s+burst=(\d+)/.exec(config)?.[1];
      if (loadedRate !== rate || loadedBurst !== burst) {
        c.notYet(
          `.env says ${rate} posts a minute with a burst of ${burst}; nginx has loaded rate=${loadedRate ?? '?'}r/m, burst=${loadedBurst ?? '?'}.`,
          'Run make reload after editing .env (with Docker: make up), as in step 5.',
        );
      }
    },
  },
  {
    name: 'nginx refused sign-in posts with 429 by itself, without asking the app',
    async run(c) {
      const { nginx } = await c.logs();
      // No app hop (empty upstream_addr): nginx answered by itself.
      const refused = nginx.some((l) => l.method === 'POST' && l.uri === '/login' && l.status === 429 && l.upstream_addr === '');
      if (!refused) {
        c.notYet(
          "nginx's access log has no 429 for /login (it keeps the last requests only).",
          'Lower the limits and send the guesses of step 6 in one quick loop.',
        );
      }
    },
  },
]);

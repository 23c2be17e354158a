// Exercise 9: signed in and out with curl; the idle timeout set to 15 minutes, as seen in a fresh
// sign-in's cookie and in its row of the sessions table.
import { createHash } from 'node:crypto';
import { defineChecks } from '../../../tools/course/check-kit.js';

const WANTED_S = 900;
const TOLERANCE_S = 60;
const NEXT = 'Set SESSION_IDLE_TIMEOUT_S=900 in .env and run make restart SERVICE=app, as in step 5.';

/** The session cookie of a fresh sign-in: its value, and how many seconds after the answer's Date it expires. */
function sessionCookie(headers: Record<string, string | string[] | undefined>): { id: string; lifetimeS: number } | undefined {
  const line = ([] as string[]).concat(headers['set-cookie'] ?? []).find((l) => l.startsWith('stacklab.sid='));
  const expires = line && /;\s*expires=([^;]+)/i.exec(line)?.[1];
  if (!line || !expires) return undefined;
  const id = line.slice('stacklab.sid='.length).split(';')[0]!;
  const now = Date.parse(String(headers.date ?? '')) || Date.now();
  return { id, lifetimeS: Math.round((Date.parse(expires) - now) / 1000) };
}

export default defineChecks([
  {
    name: 'you signed in with curl, and signed that session out with curl',
    async run(c) {
      const { nginx, app } = await c.logs();
      const curlPosts = (uri: string) =>
        new Set(nginx.filter((l) => l.method === 'POST' && l.uri === uri && l.status === 303 && String(l.user_agent).startsWith('curl/')).map((l) => String(l.request_id)));
      if (curlPosts('/login').size === 0) {
        c.notInLogs("nginx's access log has no successful sign-in sent by curl (POST /login answered 303; it keeps the newest requests only).", 'Sign in with curl as in step 1.');
      }
      const logouts = curlPosts('/logout');
      if (logouts.size === 0) {
        c.notInLogs(
          "nginx's access log has no sign-out sent by curl (POST /logout answered 303; it keeps the newest requests only).",
          'Sign out with curl as in step 4; a 403 means the token did not belong to the session in your jar.',
        );
      }
      // The app logs "logout" only when a signed-in session ended: a 303 for a visitor who was not signed in proves nothing.
      if (!app.some((l) => l.event === 'logout' && logouts.has(String(l.requestId)))) {
        c.notInLogs(
          "curl's POST /logout answered 303, but no signed-in session ended: the jar held no signed-in session then.",
          'Sign in with curl (step 1), then sign out with the same jar, as in step 4.',
        );
      }
    },
  },
  {
    name: 'a fresh sign-in gets a session cookie that expires in about 15 minutes',
    async run(c) {
      const { response } = await c.temporaryUser('cookie');
      const cookie = sessionCookie(response.headers);
      if (!cookie) {
        return c.notYet('The sign-in answered without a stacklab.sid cookie that has an expiry.', 'Keep the session settings of app/src/middleware/session.ts as they were.');
      }
      if (Math.abs(cookie.lifetimeS - WANTED_S) > TOLERANCE_S) {
        c.notYet(`The session cookie of a fresh sign-in expires ${cookie.lifetimeS} s (${Math.round(cookie.lifetimeS / 60)} min) after it was set, not about 900 s.`, NEXT);
      }
    },
  },
  {
    name: "its row in the sessions table belongs to the user and expires about 15 minutes after it was created",
    async run(c) {
      const { username, response } = await c.temporaryUser('cookie');
      const cookie = sessionCookie(response.headers);
      if (!cookie) throw new Error(`signing in the check's own user ${username} set no session cookie (status ${response.status})`);
      // The table keeps the SHA-256 of the cookie's id, never the id itself.
      const rowId = createHash('sha256').update(cookie.id).digest('hex');
      const rows = await c.sql(
        `SELECT u.username, TIMESTAMPDIFF(SECOND, s.created_at, s.expires_at) AS lifetime
         FROM sessions s LEFT JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
        [rowId],
      );
      if (rows.length === 0) {
        c.notYet(`No row in the sessions table has the id ${rowId.slice(0, 12)}…, the SHA-256 of the new cookie's id.`, 'make doctor checks the database; make restart SERVICE=app restarts the app.');
      }
      const { username: owner, lifetime } = rows[0]!;
      if (owner !== username) {
        c.notYet(`The session row belongs to ${owner === null ? 'nobody (user_id NULL)' : String(owner)}, not to ${username} who signed in.`, 'Keep the sign-in code of app/src/routes/auth.ts as it was.');
      }
      if (Math.abs(Number(lifetime) - WANTED_S) > TOLERANCE_S) {
        c.notYet(`The session row expires ${String(lifetime)} s after it was created, not about 900 s.`, NEXT);
      }
    },
  },
]);

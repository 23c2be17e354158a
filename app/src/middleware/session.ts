// Server-side sessions: koa-session keeps a random id in a signed cookie and asks this store for
// the data. The settings below are the ones a security review checks (tests/stack/security.test.ts
// proves each). Flash messages live here too: they are session data for the next page.
import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import createSession from 'koa-session';
import type { Config } from '../config.js';
import type { Pool } from '../db/pool.js';
import { deleteSession, findSessionData, saveSession } from '../db/sessions.js';

export const SESSION_COOKIE = 'stacklab.sid';

/** What this app keeps in a session. */
export type SessionData = {
  userId?: number;
  username?: string;
  /** When the user signed in (ms since epoch), for the absolute timeout. */
  signedInAt?: number;
  csrf?: string;
  flash?: Flash[];
};

export type Flash = { type: 'success' | 'error'; text: string };

/** The parts of koa-session's Session object this app uses. */
export type AppSession = SessionData & {
  regenerate(): Promise<void> | undefined;
  toJSON(): Record<string, unknown>;
};

declare module 'koa' {
  interface BaseContext {
    session: AppSession | null;
  }
}

// The table stores a hash of the id, so rows copied out of the database cannot be replayed as cookies.
function rowId(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

export function createSessionStore(pool: Pool) {
  return {
    async get(sessionId: string): Promise<Record<string, unknown> | undefined> {
      const data = await findSessionData(pool, rowId(sessionId));
      return data === undefined ? undefined : (JSON.parse(data) as Record<string, unknown>);
    },
    async set(sessionId: string, data: SessionData, maxAgeMs: number): Promise<void> {
      const expiresAt = new Date(Date.now() + maxAgeMs);
      await saveSession(pool, rowId(sessionId), JSON.stringify(data), data.userId ?? null, expiresAt);
    },
    async destroy(sessionId: string): Promise<void> {
      await deleteSession(pool, rowId(sessionId));
    },
  };
}

export { rowId as sessionRowId };

export function sessions(app: Koa, config: Config, pool: Pool): Middleware {
  return createSession(
    {
      key: SESSION_COOKIE,
      store: createSessionStore(pool),
      // 256 random bits: far beyond guessing (OWASP asks for at least 64 bits of entropy).
      genid: () => randomBytes(32).toString('base64url'),
      // Idle timeout. With `renew`, a session used in the second half of its life is extended, so an
      // active user stays signed in while most requests cause no session write at all.
      maxAge: config.session.idleTimeoutS * 1000,
      renew: true,
      rolling: false,
      httpOnly: true, // page scripts cannot read the cookie
      sameSite: 'lax', // other sites cannot make the browser send it with their form posts
      secure: config.session.cookieSecure, // only over HTTPS, when nginx serves HTTPS
      signed: true, // signed with SESSION_KEYS: a tampered cookie is ignored
    },
    app,
  );
}

/** Ends sessions older than the absolute timeout, however active they were. */
export function absoluteTimeout(config: Config): Middleware {
  const limitMs = config.session.absoluteTimeoutS * 1000;
  return async function checkSessionAge(ctx, next) {
    const session = ctx.session;
    if (session && typeof session.signedInAt === 'number' && Date.now() - session.signedInAt > limitMs) {
      // Sign out: the old row is deleted and the request goes on with a new, empty session.
      clearSession(session);
      await session.regenerate();
    }
    await next();
  };
}

/** Removes every value from the session (keeps the object, so it can be regenerated). */
export function clearSession(session: AppSession): void {
  for (const key of Object.keys(session.toJSON())) delete (session as Record<string, unknown>)[key];
}

/** Queues a message for the next page this browser sees (after a redirect, usually). */
export function addFlash(ctx: Koa.Context, type: Flash['type'], text: string): void {
  const session = ctx.session!;
  session.flash = [...(session.flash ?? []), { type, text }];
}

/** The messages queued for this page; they are removed from the session as they are shown. */
export function takeFlash(ctx: Koa.Context): Flash[] {
  const session = ctx.session;
  const flash = session?.flash;
  if (!session || !flash) return [];
  delete session.flash;
  return flash;
}

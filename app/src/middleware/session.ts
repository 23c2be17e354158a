// Server-side sessions: koa-session keeps a random id in a signed cookie and asks this store for
// the data. The settings below are the ones a security review checks (tests/stack/security.test.ts
// proves each). A session is stored only once it holds a signed-in user: a visitor who only looks at
// pages, or at the sign-in form, costs no row. Flash messages live here too: they are data for the
// next page, kept in the session when there is one, otherwise in a small signed cookie.
import { createHash, randomBytes } from 'node:crypto';
import type Koa from 'koa';
import type { Middleware } from 'koa';
import createSession from 'koa-session';
import type { Config } from '../config.js';
import type { Pool } from '../db/pool.js';
import { deleteSession, findSessionData, saveSession } from '../db/sessions.js';

export const SESSION_COOKIE = 'stacklab.sid';
/** Messages for the next page of a visitor who is not signed in ("You are signed out"). */
export const FLASH_COOKIE = 'stacklab.flash';
const FLASH_COOKIE_MAX_AGE_MS = 5 * 60_000;

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
  /** True when the request brought no stored session: its id was made now and has never been sent. */
  readonly isNew: boolean;
  regenerate(): Promise<void> | undefined;
  toJSON(): Record<string, unknown>;
};

/** The attributes of every cookie the app sets (the session's, and the small ones beside it). */
export type CookieAttributes = Readonly<{ httpOnly: true; sameSite: 'lax'; secure: boolean; signed: true }>;

declare module 'koa' {
  interface BaseContext {
    // Setting it to null ends the session: its row is deleted and the cookie is cleared.
    session: AppSession | null;
    cookieAttributes: CookieAttributes;
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
  const cookie: CookieAttributes = Object.freeze({
    httpOnly: true, // page scripts cannot read the cookie
    sameSite: 'lax', // other sites cannot make the browser send it with their form posts
    secure: config.session.cookieSecure, // only over HTTPS, when nginx serves HTTPS
    signed: true, // signed with SESSION_KEYS: a tampered cookie is ignored
  });
  app.context.cookieAttributes = cookie;
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
      // koa-session stores a session only once something was put into it: this app does that at
      // sign-in (routes/auth.ts), never for an anonymous visitor (see csrf.ts and addFlash below).
      ...cookie,
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
      // Sign out: the row is deleted and the request goes on as an anonymous visitor.
      ctx.session = null;
    }
    await next();
  };
}

/** Whether this session belongs to a signed-in user (the only kind that is ever stored). */
export function isSignedIn(session: AppSession | null): session is AppSession & { userId: number } {
  return typeof session?.userId === 'number';
}

/** Removes every value from the session (keeps the object, so it can be regenerated). */
export function clearSession(session: AppSession): void {
  for (const key of Object.keys(session.toJSON())) delete (session as Record<string, unknown>)[key];
}

/**
 * Queues a message for the next page this browser sees (after a redirect, usually): in the session
 * of a signed-in user, otherwise in a signed cookie, so that no anonymous visitor costs a row.
 */
export function addFlash(ctx: Koa.Context, type: Flash['type'], text: string): void {
  const session = ctx.session;
  if (isSignedIn(session)) {
    session.flash = [...(session.flash ?? []), { type, text }];
    return;
  }
  const queued = [...readFlashCookie(ctx), { type, text }];
  ctx.cookies.set(FLASH_COOKIE, Buffer.from(JSON.stringify(queued)).toString('base64url'), {
    ...ctx.cookieAttributes,
    maxAge: FLASH_COOKIE_MAX_AGE_MS,
  });
}

/** The messages queued for this page; they are removed as they are shown. */
export function takeFlash(ctx: Koa.Context): Flash[] {
  const fromCookie = readFlashCookie(ctx);
  if (fromCookie.length > 0) ctx.cookies.set(FLASH_COOKIE, null, ctx.cookieAttributes);
  const session = ctx.session;
  const fromSession = session?.flash ?? [];
  if (session?.flash) delete session.flash;
  return [...fromCookie, ...fromSession];
}

function readFlashCookie(ctx: Koa.Context): Flash[] {
  const value = ctx.cookies.get(FLASH_COOKIE, { signed: true });
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    return Array.isArray(parsed) ? (parsed as Flash[]) : [];
  } catch {
    return []; // signed by us, so this does not happen; a broken one is simply dropped
  }
}

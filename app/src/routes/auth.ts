// Registration, sign-in and sign-out.
import type Router from '@koa/router';
import type { Context } from 'koa';
import type { Config } from '../config.js';
import type { Pool } from '../db/pool.js';
import { DuplicateUsernameError, findUserByUsername, insertUser, type User } from '../db/users.js';
import type { Logger } from '../logger.js';
import { readStringFields } from '../middleware/form-body.js';
import { addFlash, clearSession, type AppSession } from '../middleware/session.js';
import { checkPasswordRules, checkPasswordShape, createDummyHash, hashPassword, verifyPassword } from '../security/passwords.js';
import { checkUsernameRules, normalizeUsername } from '../security/usernames.js';
import { createRouter } from './router.js';

type Deps = { config: Config; pool: Pool; log: Logger };

export function authRoutes({ config, pool, log }: Deps): Router {
  const router = createRouter();
  router.get('/register', showRegister);
  router.post('/register', register);
  router.get('/login', showLogin);
  router.post('/login', login);
  router.post('/logout', logout);

  const dummyHash = createDummyHash(config.bcryptCost);

  // The registration form.
  async function showRegister(ctx: Context) {
    await ctx.render('register.njk', { values: {}, errors: {} });
  }

  // Creates the account, then signs the new user in.
  async function register(ctx: Context) {
    const form = readStringFields(ctx.request.form, ['username', 'password', 'password_confirm']);
    const username = normalizeUsername(form.username);
    const errors: Record<string, string> = {};
    const usernameProblem = checkUsernameRules(username);
    if (usernameProblem) errors.username = usernameProblem;
    const passwordProblem = checkPasswordRules(form.password, username);
    if (passwordProblem) errors.password = passwordProblem;
    else if (form.password !== form.password_confirm) errors.password_confirm = 'The two passwords do not match.';

    if (Object.keys(errors).length > 0) {
      ctx.status = 422;
      await ctx.render('register.njk', { values: { username: form.username }, errors });
      return;
    }

    const passwordHash = await hashPassword(form.password, config.bcryptCost);
    let userId: number;
    try {
      userId = await insertUser(pool, username, passwordHash);
    } catch (err) {
      if (!(err instanceof DuplicateUsernameError)) throw err;
      ctx.status = 409;
      await ctx.render('register.njk', {
        values: { username: form.username },
        errors: { username: 'This username is taken; please choose another.' },
      });
      return;
    }
    log.info('user_registered', { requestId: ctx.state.requestId, userId, ip: ctx.ip });
    await signIn(ctx, { id: userId, username }, `Welcome, ${username}! Your account is ready.`);
    seeOther(ctx, '/account');
  }

  // The sign-in form.
  async function showLogin(ctx: Context) {
    await ctx.render('login.njk', { values: {}, error: '' });
  }

  // Checks the password. Unknown user and wrong password get the same answer, in about the same time.
  async function login(ctx: Context) {
    const form = readStringFields(ctx.request.form, ['username', 'password']);
    const username = normalizeUsername(form.username);
    const user = username === '' ? undefined : await findUserByUsername(pool, username);
    // One rule at every door: a password registration would refuse never signs in. bcrypt ignores
    // everything after byte 72 or after a NUL, so it could say "match" for such a password.
    const allowed = checkPasswordShape(form.password) === undefined;
    // Always run one bcrypt comparison (against a dummy hash for an unknown user or a refused
    // password), so every failure takes about as long as a wrong password and looks the same.
    const hash = user && allowed ? user.passwordHash : await dummyHash;
    const passwordMatches = (await verifyPassword(form.password, hash)) && allowed;

    if (!user || !passwordMatches) {
      log.warn('login_failed', {
        requestId: ctx.state.requestId,
        ip: ctx.ip,
        username: username.slice(0, 64),
        reason: !user ? 'unknown_user' : allowed ? 'wrong_password' : 'password_not_allowed',
      });
      ctx.status = 401;
      await ctx.render('login.njk', { values: { username: form.username }, error: 'Wrong username or password.' });
      return;
    }
    log.info('login_succeeded', { requestId: ctx.state.requestId, ip: ctx.ip, userId: user.id });
    await signIn(ctx, user, `Welcome back, ${user.username}.`);
    seeOther(ctx, '/account');
  }

  // Ends the session: its row is deleted, so the old cookie is worthless even if someone kept a copy.
  async function logout(ctx: Context) {
    const userId = ctx.state.currentUser?.id;
    ctx.session = null;
    addFlash(ctx, 'success', 'You are signed out.'); // anonymous now: the message goes into a cookie
    if (userId !== undefined) log.info('logout', { requestId: ctx.state.requestId, ip: ctx.ip, userId });
    seeOther(ctx, '/');
  }

  return router;
}

/** After a successful POST: 303 tells the browser to GET the next page (reloading it will not post again). */
function seeOther(ctx: Context, url: string): void {
  ctx.redirect(url);
  ctx.status = 303;
}

/**
 * Signs a user in under a brand-new session id (an old row is deleted), so an id an attacker
 * planted before login (session fixation) is useless afterwards. The CSRF token is renewed too.
 */
async function signIn(ctx: Context, user: Pick<User, 'id' | 'username'>, welcome: string): Promise<void> {
  // (A session ended earlier in this request, by the absolute timeout, is started afresh.)
  ctx.session ??= {} as AppSession;
  const session = ctx.session;
  clearSession(session);
  session.userId = user.id;
  session.username = user.username;
  session.signedInAt = Date.now();
  addFlash(ctx, 'success', welcome);
  // A new session (isNew: no stored session came with the request) has an id made during this request
  // and never sent to anyone: nothing to replace, and the end of the request stores it once. A stored
  // one (signing in again) gets a new id: its row is deleted and the session saved under the new id.
  if (!session.isNew) await session.regenerate();
  ctx.state.currentUser = { id: user.id, username: user.username };
}

// Every router of the app is made here, so they all match paths the same way: exactly.
import Router from '@koa/router';

/**
 * A router whose routes match one spelling only: case-sensitive (`/LOGIN` is not `/login`) and
 * strict (`/login/` is not `/login`). Every other spelling is a 404, so nginx's limits, which look
 * at the path before the app does, never have to guess which spellings reach a handler.
 */
export function createRouter(): Router {
  return new Router({ sensitive: true, strict: true });
}

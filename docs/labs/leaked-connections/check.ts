// Lab leaked-connections: the app gives every database connection back to its pool, after a statement
// that succeeded and after one that failed, so more requests than the pool has connections all get
// an answer. (A bigger pool, or a restart, only puts the hang off until the connections run out again.)
import { defineChecks, type CheckContext } from '../../../tools/course/check-kit.js';
import { GOOD_PASSWORD } from '../../../tools/lib/http-client.js';

/** Connections the app may hold at once: DB_POOL_SIZE for each app instance. */
function connectionsOfTheApp(c: CheckContext): number {
  const poolSize = Number(c.settings.values.DB_POOL_SIZE ?? '') || 10;
  return poolSize * c.settings.appReplicas;
}

/** `count` calls of `send`, `parallel` at a time; the first that throws stops the rest. */
async function inTurn(count: number, parallel: number, send: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await send(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}

// A request waiting for a connection waits until nginx gives up (30 s): 5 s without an answer is
// enough to say it hangs, and leaves the check time to say so.
const PATIENCE_MS = 5000;
class Hangs extends Error {}
function answerWithin<T>(request: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hangs()), PATIENCE_MS);
  });
  return Promise.race([request, late]).finally(() => clearTimeout(timer));
}
const hangs = (err: unknown) => err instanceof Hangs || /no answer .* within/.test((err as Error).message);

export default defineChecks(
  [
  {
    name: 'more requests than the pool has connections all get an answer (statements that succeed)',
    async run(c) {
      const total = connectionsOfTheApp(c) + 5;
      // /healthz runs one statement (SELECT 1) that succeeds.
      for (let i = 1; i <= total; i++) {
        let status: number;
        try {
          status = (await answerWithin(c.client().get('/healthz'))).status;
        } catch (err) {
          if (!hangs(err)) throw err;
          c.notYet(
            `request ${i} of ${total} to /healthz got no answer: it is waiting for a database connection that never comes back to the pool (it has ${connectionsOfTheApp(c)}).`,
            'make db-shell, then SHOW PROCESSLIST; shows what the app holds. Which code takes a connection, and where does it give it back?',
          );
        }
        if (status !== 200) c.notYet(`request ${i} of ${total} to /healthz answered ${status}.`, 'make inspect shows that request hop by hop; make doctor too.');
      }
    },
  },
  {
    name: 'and so do requests whose statement fails (a sign-up with a name that is taken)',
    async run(c) {
      const [taken] = await c.temporaryMembers('taken', 1);
      const total = connectionsOfTheApp(c) + 2;
      // Each sign-up with a taken name runs an INSERT the database refuses (a duplicate key). Each
      // from its own address, as different visitors: nginx limits sign-ups per address.
      await inTurn(total, 4, async (i) => {
        let status: number;
        try {
          status = (await answerWithin(c.client().register(taken!, GOOD_PASSWORD))).status;
        } catch (err) {
          if (!hangs(err)) throw err;
          c.notYet(
            `sign-up ${i + 1} of ${total} with a taken name got no answer: after a statement fails, its connection is not given back to the pool.`,
            'A connection must go back to the pool on every path out of the code that took it: after success, and after an error.',
          );
        }
        if (status !== 409) c.notYet(`a sign-up with the taken name ${taken} answered ${status}, not 409 "This username is taken".`, 'make inspect shows that request hop by hop.');
      });
    },
  },
  ],
  // A hanging app is this lab's fault: the checks name it themselves, rather than "nothing answers".
  { appMayBeDown: true },
);

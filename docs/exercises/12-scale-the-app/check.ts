// Exercise 12: two app instances behind nginx, and a session that holds on both.
import { defineChecks } from '../../../tools/course/check-kit.js';

const NEXT = 'Run make up APP_REPLICAS=2 (step 2), then make ps: two app rows must be running.';

export default defineChecks([
  {
    name: 'nginx spreads requests over at least two app instances',
    async run(c) {
      // Twelve at once: nginx hands them out in turn all the same.
      const answers = await Promise.all(Array.from({ length: 12 }, () => c.client().get('/')));
      const seen = new Set(answers.map((res) => String(res.headers['x-app-instance'] ?? '(none)')));
      if (seen.size < 2) c.notYet(`12 requests were all answered by ${[...seen].join(', ')}.`, NEXT);
    },
  },
  {
    name: 'a signed-in user stays signed in on every instance',
    async run(c) {
      const { client } = await c.temporaryUser('scale');
      const seen = new Set<string>();
      for (const res of await Promise.all(Array.from({ length: 8 }, () => client.get('/account')))) {
        if (res.status !== 200) {
          return c.notYet(
            `The account page answered ${res.status} on instance ${String(res.headers['x-app-instance'])}: the session did not hold there.`,
            'Sessions must live in the database (the sessions table), not in one process: did a change keep them in memory?',
          );
        }
        seen.add(String(res.headers['x-app-instance']));
      }
      if (seen.size < 2) c.notYet('All 8 account pages came from one instance.', NEXT);
    },
  },
]);

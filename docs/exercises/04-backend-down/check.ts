// Exercise 4: the app was stopped (nginx answered 502 after trying it), and it runs again now.
import { CHECKER_USER_AGENT, defineChecks } from '../../../tools/course/check-kit.js';

export default defineChecks([
  {
    name: 'nginx answered 502 (or 504) after trying to reach the stopped app',
    async run(c) {
      const { nginx } = await c.logs();
      // Not the checks' own requests: a check that ran while the app was down got a 502 too.
      const failed = nginx.some(
        (l) => (l.status === 502 || l.status === 504) && String(l.upstream_addr ?? '') !== '' && l.user_agent !== CHECKER_USER_AGENT,
      );
      if (!failed) {
        c.notInLogs(
          "nginx's access log has no request answered 502 or 504 after trying the app (it keeps the newest requests only).",
          'Stop the app as in step 2, then ask for a page (not a file under /static/) as in step 3 and look for the 502.',
        );
      }
    },
  },
  {
    name: 'the app is back: /healthz through nginx answers 200 from the app',
    async run(c) {
      const res = await c.client().get('/healthz');
      if (res.status === 502 || res.status === 504) {
        c.notYet(`/healthz answered ${res.status}: nginx still cannot reach the app.`, 'Start it again with make up (step 5); make ps shows what runs.');
      }
      if (res.status !== 200 || res.headers['x-app-instance'] === undefined) {
        c.notYet(
          `/healthz answered ${res.status}${res.headers['x-app-instance'] === undefined ? ' without an X-App-Instance header' : ''}.`,
          'make doctor explains what is wrong; make up starts what is stopped.',
        );
      }
    },
  },
  // The stack must answer, but the app may be down: stopping it is this exercise.
], { appMayBeDown: true });

// Lab restart-typo: nginx runs again, with the X-Frame-Options line fixed (not deleted): every
// answer still tells browsers never to show the site in a frame.
import { defineChecks } from '../../../tools/course/check-kit.js';

const SNIPPET = 'nginx/snippets/response-headers.conf';

export default defineChecks([
  {
    name: 'nginx answers again',
    async run(c) {
      // The course's checks reach nginx before they run; this one says so in words.
      const health = await c.client().get('/_nginx/health');
      if (health.status !== 204) c.notYet(`nginx's health check answered ${health.status}.`, 'make doctor says why nginx does not run.');
    },
  },
  {
    name: 'answers still carry X-Frame-Options: DENY (the line is fixed, not deleted)',
    async run(c) {
      const page = await c.client().get('/login');
      if (page.headers['x-frame-options'] !== 'DENY') {
        c.notYet(
          `GET /login came back without X-Frame-Options: DENY: the site may now be shown inside another site's frame (clickjacking).`,
          `Fix the add_header X-Frame-Options line in ${SNIPPET} rather than removing it, then make reload.`,
        );
      }
    },
  },
]);

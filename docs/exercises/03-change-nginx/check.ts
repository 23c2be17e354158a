// Exercise 3: a response header added in nginx's configuration, loaded and sent everywhere.
import { defineChecks } from '../../../tools/course/check-kit.js';

const NEXT = 'Add the add_header line of step 2 to nginx/snippets/response-headers.conf, then run make reload.';

export default defineChecks([
  {
    name: 'the configuration nginx has loaded adds an X-Learning header',
    async run(c) {
      if (!/add_header\s+X-Learning\s/i.test(await c.nginxConfig())) {
        c.notYet('nginx -T shows no add_header X-Learning line in the loaded configuration.', NEXT);
      }
    },
  },
  {
    name: 'pages from the app carry X-Learning: stacklab',
    async run(c) {
      const res = await c.client().get('/');
      if (res.headers['x-learning'] !== 'stacklab') {
        c.notYet(`The home page came back with X-Learning: ${res.headers['x-learning'] ?? '(none)'}.`, NEXT);
      }
    },
  },
  {
    name: 'static files and error pages carry it too',
    async run(c) {
      for (const path of ['/static/css/site.css', '/no-such-page']) {
        const res = await c.client().get(path);
        if (res.headers['x-learning'] !== 'stacklab') {
          c.notYet(
            `${path} (status ${res.status}) has no X-Learning header.`,
            'Put the line in the snippet (it is included everywhere) and end it with "always", so error responses get it too.',
          );
        }
      }
    },
  },
]);

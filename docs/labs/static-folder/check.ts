// Lab static-folder: nginx serves /static/ from the app's public/ folder again, itself (the app never
// sees these requests), so every page has its stylesheet.
import { defineChecks } from '../../../tools/course/check-kit.js';

const TEMPLATE = 'nginx/templates/stacklab.conf.template';

export default defineChecks(
  [
    {
      name: 'the stylesheet /static/css/site.css comes from nginx',
      async run(c) {
        const css = await c.client().get('/static/css/site.css');
        if (css.status !== 200) {
          c.notYet(`GET /static/css/site.css answered ${css.status}.`, `nginx's error log (make logs SERVICE=nginx) says which file it tried to open; compare it with the location /static/ in ${TEMPLATE}, then make reload.`);
        }
        if (css.headers['x-app-instance']) {
          c.notYet('The stylesheet came from the app (it has an X-App-Instance header): static files are nginx\'s job.', `Serve /static/ from the public/ folder in ${TEMPLATE} (location /static/), then make reload.`);
        }
        if (!String(css.headers['content-type']).startsWith('text/css')) c.notYet(`It came back as ${css.headers['content-type']}, not text/css.`, 'Is it the right file?');
      },
    },
    {
      name: 'the other static files still answer (/robots.txt, /favicon.ico)',
      async run(c) {
        for (const file of ['/robots.txt', '/favicon.ico']) {
          const answer = await c.client().get(file);
          if (answer.status !== 200) c.notYet(`GET ${file} answered ${answer.status}.`, `Change only the location /static/ in ${TEMPLATE}, then make reload.`);
        }
      },
    },
  ],
  // The stylesheet is nginx's alone: the app may even be down.
  { appMayBeDown: true },
);

// Lab wrong-port: nginx passes requests to the app again, through its upstream group (every app
// instance, with kept-alive connections), as the configuration nginx has loaded says.
import { defineChecks } from '../../../tools/course/check-kit.js';

const SNIPPET = 'nginx/snippets/proxy-to-app.conf';

export default defineChecks(
  [
  {
    name: 'the configuration nginx has loaded passes requests to the upstream group stacklab_app',
    async run(c) {
      const passes = [...(await c.nginxConfig()).matchAll(/^\s*proxy_pass\s+([^;]+);/gm)].map((m) => m[1]!.trim());
      const elsewhere = passes.find((p) => p !== 'http://stacklab_app');
      if (elsewhere) {
        const onDisk = c.readProjectFile(SNIPPET).includes(`proxy_pass ${elsewhere};`);
        c.notYet(
          `nginx -T shows proxy_pass ${elsewhere}: a single address, not the upstream group stacklab_app that lists the app's instances.`,
          onDisk ? `Point proxy_pass in ${SNIPPET} at the upstream group, then make reload.` : `Your file no longer says ${elsewhere}, but nginx still runs it: make reload.`,
        );
      }
      if (passes.length === 0) c.notYet('nginx -T shows no proxy_pass at all: nothing reaches the app.', `Put the proxy_pass line back into ${SNIPPET}, then make reload.`);
    },
  },
  {
    name: 'pages from the app come back through nginx',
    async run(c) {
      const page = await c.client().get('/login');
      if (page.status !== 200 || !page.headers['x-app-instance']) {
        c.notYet(`GET /login answered ${page.status}${page.headers['x-app-instance'] ? '' : ', with no X-App-Instance header (the app did not answer it)'}.`, 'make inspect shows where the request went; make doctor too.');
      }
    },
  },
  ],
  // The app runs; nginx looking for it elsewhere is this lab's fault, which the checks name themselves.
  { appMayBeDown: true },
);

// Exercise 3: a response header added in nginx's configuration, tested, loaded and sent everywhere;
// and the file on disk is the one nginx runs (a broken edit that make reload refused is not left behind).
import { defineChecks } from '../../../tools/course/check-kit.js';

const SNIPPET = 'nginx/snippets/response-headers.conf';
const NEXT = `Add the add_header line of step 2 to ${SNIPPET}, then run make reload.`;

/** Each file nginx -T spelled out, by its path: nginx prints "# configuration file PATH:" before each one. */
function loadedFiles(dump: string): Map<string, string> {
  const files = new Map<string, string>();
  const parts = dump.split(/^# configuration file (.+):$/m);
  for (let i = 1; i < parts.length; i += 2) {
    // The text starts after the header's line break; the last file is followed by nginx's own
    // "syntax is ok" lines.
    files.set(parts[i]!, parts[i + 1]!.replace(/^\n/, '').replace(/\nnginx: [\s\S]*$/, ''));
  }
  return files;
}

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
  {
    name: `your ${SNIPPET} passes nginx -t: it is the very file nginx runs`,
    async run(c) {
      const dump = await c.nginxConfig();
      const problem = /nginx: \[emerg\].*/.exec(dump)?.[0];
      if (problem) {
        c.notYet(`nginx -t fails on your files: ${problem}`, 'Fix the line it names (a missing ; is the usual culprit), then make reload.');
      }
      const loaded = [...loadedFiles(dump)].find(([file]) => file.endsWith(`/snippets/response-headers.conf`))?.[1];
      if (loaded === undefined) {
        return c.notYet(`nginx -T shows no response-headers.conf among the files it loaded.`, `Keep ${SNIPPET} and the include lines that name it; then make reload.`);
      }
      if (loaded.trimEnd() !== c.readProjectFile(SNIPPET).trimEnd()) {
        c.notYet(
          `${SNIPPET} differs from the copy nginx loaded: you changed it after the last make reload, or make reload refused it (a missing ; in step 4?). A restart of nginx would now fail on it.`,
          'Run make reload: it tests the file first and says what nginx refuses. Fix that, and reload until it says "nginx reloaded".',
        );
      }
    },
  },
]);

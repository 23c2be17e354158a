// Exercise 2: a static file of the learner's, answered by nginx alone; the app never sees it.
import { defineChecks, type LogLine } from '../../../tools/course/check-kit.js';

const PATH = '/static/hello.txt';

/** Where a learner's hello.txt might have ended up instead of app/public/hello.txt. */
const MISPLACED = ['app/public/static/hello.txt', 'app/public/Hello.txt', 'app/public/hello.txt.txt', 'app/hello.txt', 'hello.txt', 'public/hello.txt', 'static/hello.txt'];

export default defineChecks([
  {
    name: 'nginx serves app/public/hello.txt at /static/hello.txt',
    async run(c) {
      const res = await c.client().get(PATH);
      if (res.status !== 200) {
        const onDisk = c.readProjectFile('app/public/hello.txt') !== '';
        const misplaced = MISPLACED.find((file) => c.readProjectFile(file) !== '');
        c.notYet(
          `${PATH} answered ${res.status}${onDisk ? ', although app/public/hello.txt exists' : misplaced ? `: your file is ${misplaced}, not app/public/hello.txt` : '; there is no file app/public/hello.txt'}.`,
          onDisk
            ? 'Check that nginx may read it (ls -l app/public/hello.txt) and that the location /static/ block of nginx/templates/stacklab.conf.template is as it was.'
            : misplaced
              ? `Move it: nginx maps /static/ to app/public/ itself, so /static/hello.txt is app/public/hello.txt (all lowercase, right in app/public/).`
              : 'Create app/public/hello.txt with a line of text, as in step 3.',
        );
      }
      if (res.body.trim() === '') {
        c.notYet(`${PATH} is empty.`, 'Write a line of text into app/public/hello.txt and save it.');
      }
    },
  },
  {
    name: 'nginx answered it itself, without asking the app',
    async run(c) {
      const res = await c.client().get(PATH);
      if (res.headers['x-app-instance'] !== undefined) {
        c.notYet(
          `${PATH} came back with X-App-Instance: ${String(res.headers['x-app-instance'])}, so the app answered it.`,
          'Static files are for nginx: keep the location /static/ block of nginx/templates/stacklab.conf.template as it was, then make reload.',
        );
      }
      const id = String(res.headers['x-request-id'] ?? '');
      // nginx writes the line just after it answered: give it a moment.
      let line: LogLine | undefined;
      for (let attempt = 0; attempt < 10 && !line; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 200));
        line = (await c.logs()).nginx.find((l) => l.request_id === id);
      }
      if (!line) {
        return c.notYet(`nginx's access log has no line for this check's request (id ${id || 'missing'}).`, 'Run make check 2 again; if it persists, make doctor.');
      }
      if (line.upstream_addr !== '') {
        c.notYet(`nginx's log line for ${PATH} names an upstream (${String(line.upstream_addr)}): it asked the app.`, 'Keep /static/ served from app/public/ by nginx, as the original configuration does.');
      }
    },
  },
  {
    name: 'the app never logged a request for /static/hello.txt',
    async run(c) {
      const { app } = await c.logs();
      if (app.some((l) => l.event === 'request' && l.path === PATH)) {
        c.notYet(`The app's log has a request for ${PATH}: it reached the app.`, 'Leave the location /static/ block in nginx as it was, so nginx answers these requests itself.');
      }
    },
  },
  {
    name: 'you fetched it yourself with curl',
    async run(c) {
      const { nginx } = await c.logs();
      const fetched = nginx.some((l) => l.uri === PATH && l.status === 200 && String(l.user_agent).startsWith('curl/'));
      if (!fetched) {
        c.notInLogs(
          "nginx's access log has no request for /static/hello.txt sent by curl that answered 200 (it keeps the newest requests only).",
          'Fetch it with curl as in step 3, then find its line as in step 4.',
        );
      }
    },
  },
]);

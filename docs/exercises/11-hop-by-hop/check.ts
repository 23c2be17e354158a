// Exercise 11: one request with an id of the learner's own and a spoofed X-Forwarded-For, found in
// nginx's log (as received) and in the app's log (as replaced by nginx).
import { defineChecks, type LogLine } from '../../../tools/course/check-kit.js';

const SPOOFED = '6.6.6.6';
const NEXT = 'Send the request of step 1 of docs/exercises/11-hop-by-hop/README.md (your id must start with lesson11-).';

/** nginx's lines for requests whose id starts with lesson11- and that came with the spoofed address. */
function spoofedLines(nginx: LogLine[]): LogLine[] {
  return nginx.filter((l) => String(l.request_id).startsWith('lesson11-') && String(l.xff_received).includes(SPOOFED));
}

export default defineChecks([
  {
    name: `nginx logged a request with an id starting "lesson11-" and X-Forwarded-For: ${SPOOFED}`,
    async run(c) {
      const { nginx } = await c.logs();
      if (spoofedLines(nginx).length === 0) {
        const ours = nginx.some((l) => String(l.request_id).startsWith('lesson11-'));
        c.notInLogs(
          ours
            ? `nginx logged requests with a lesson11- id, but none arrived with X-Forwarded-For: ${SPOOFED}.`
            : "nginx's access log has no request whose id starts with lesson11- (it keeps the last requests only).",
          NEXT,
        );
      }
    },
  },
  {
    name: `the app logged the same id, with the real address instead of ${SPOOFED}`,
    async run(c) {
      const { nginx, app } = await c.logs();
      const ids = new Set(spoofedLines(nginx).map((l) => String(l.request_id)));
      const requests = app.filter((l) => l.event === 'request' && ids.has(String(l.requestId)));
      if (requests.length === 0) {
        c.notInLogs(
          `The app's log has no request line with the id ${[...ids].at(-1)}: did nginx pass the request on? Send it to /debug/request.`,
          NEXT,
        );
      }
      const fooled = requests.find((l) => String(l.ip).includes(SPOOFED));
      if (fooled) {
        c.notYet(
          `The app logged ip ${String(fooled.ip)} for ${String(fooled.requestId)}: nginx passed the client's X-Forwarded-For on.`,
          'nginx/snippets/proxy-to-app.conf must set X-Forwarded-For to $remote_addr; put it back and run make reload.',
        );
      }
    },
  },
  {
    name: 'any client gets the same treatment: its id kept, its spoofed address replaced',
    async run(c) {
      const id = c.random('check11');
      const res = await c.client().get('/debug/request', { Accept: 'application/json', 'X-Request-ID': id, 'X-Forwarded-For': SPOOFED });
      const seen = res.status === 200 ? res.json<{ ip?: string; requestId?: string }>() : {};
      if (seen.requestId !== id || seen.ip === undefined || seen.ip.includes(SPOOFED)) {
        c.notYet(
          `/debug/request (status ${res.status}) saw request id ${seen.requestId ?? '(none)'} and ip ${seen.ip ?? '(none)'}.`,
          'Undo any change to nginx/snippets/proxy-to-app.conf and run make reload.',
        );
      }
    },
  },
]);

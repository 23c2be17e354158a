// The HTTP client of the tests and the exercise checks: the app tests' browser (app/test/browser.ts),
// each one sending from its own loopback address (127.x.y.z), so each is a separate "visitor" to
// nginx's per-address rate limit, as people on different machines would be. It says who it is in
// its User-Agent, so a check never takes the checks' own requests in the logs for the learner's.
import { Browser, type Page, type RequestOptions } from '../../app/test/browser.js';

export { GOOD_PASSWORD, uniqueName, type Page as Response, type RequestOptions } from '../../app/test/browser.js';

export const CHECKER_USER_AGENT = 'stacklab-checker';

let nextAddress = 2 + Math.floor(Math.random() * 200) * 256;

function nextLoopbackAddress(): string {
  nextAddress += 1;
  return `127.${(nextAddress >> 16) & 255 || 1}.${(nextAddress >> 8) & 255}.${nextAddress & 255 || 1}`;
}

export class Client extends Browser {
  /**
   * `host`: the Host header to send when nginx is reached by another address than the learner's.
   * Over https://, `ca` is the certificate authority to trust and `servername` the name asked for (SNI).
   */
  constructor(baseUrl: string, { host, ca, servername }: { host?: string; ca?: string; servername?: string } = {}) {
    super(baseUrl, { localAddress: nextLoopbackAddress(), host, ca, servername });
  }

  override request(path: string, options: RequestOptions = {}): Promise<Page> {
    return super.request(path, { ...options, headers: { 'user-agent': CHECKER_USER_AGENT, ...options.headers } });
  }
}

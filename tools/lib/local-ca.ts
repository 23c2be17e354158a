// The stack's local certificate authority (made by nginx/tls/local-ca.sh at the first start, in the
// state folder's tls/): where its certificate is, and an HTTPS client that trusts it (and nothing else).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from './http-client.js';

/** The CA's certificate: the file a learner tells the browser (and curl --cacert) to trust. */
export function caFile(stateDir: string): string {
  return path.join(stateDir, 'tls', 'ca.crt');
}

/**
 * A client for the site over HTTPS, trusting the local CA only, asking for `localhost` (SNI) as a
 * browser at https://localhost:PORT does. `address`: where nginx's HTTPS port is reached from here.
 */
export function httpsClient(stateDir: string, address: string, learnerPort: number): Client {
  const file = caFile(stateDir);
  if (!existsSync(file)) throw new Error(`There is no local certificate authority yet (${file}): make up makes it.`);
  return new Client(`https://${address}`, { host: `localhost:${learnerPort}`, ca: readFileSync(file, 'utf8'), servername: 'localhost' });
}

// One more nginx beside the bench stack's own, in front of the same app: nginx/ copied, one change
// made (the tail experiments, tail-variants.ts; the PHP peer's location, php-peer.ts), on a free port.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { freePort } from '../lib/ports.js';
import { repoPath } from '../lib/repo.js';
import { NginxService } from '../runners/native/nginx-service.js';
import { requirePrograms } from '../runners/native/programs.js';
import type { BenchStack } from './bench-stack.js';
import type { NginxFiles } from './tail-variants.js';

export type VariantNginx = NginxService & { port: number };

/** An nginx of its own for one variant: nginx/ copied, the one change made, on a free port. */
export async function startVariantNginx(bench: BenchStack, name: string, edit?: (files: NginxFiles) => NginxFiles): Promise<VariantNginx> {
  const root = path.join(bench.stateDir, 'variants', name);
  const nginxDir = path.join(root, 'nginx');
  mkdirSync(root, { recursive: true });
  cpSync(repoPath('nginx'), nginxDir, { recursive: true });
  if (edit) {
    const main = path.join(nginxDir, 'nginx.conf');
    const site = path.join(nginxDir, 'templates/stacklab.conf.template');
    const edited = edit({ main: readFileSync(main, 'utf8'), site: readFileSync(site, 'utf8') });
    writeFileSync(main, edited.main);
    writeFileSync(site, edited.site);
  }
  const port = await freePort();
  // Its HTTPS listener needs a port of its own too (the stack's nginx holds the stack's).
  const settings = { ...bench.stack.settings, ports: { ...bench.stack.settings.ports, http: port, https: await freePort() } };
  const nginx = new NginxService({ settings, stateDir: path.join(root, 'state'), nginxDir, say: () => {} }, () => requirePrograms(() => {}));
  await nginx.start();
  return Object.assign(nginx, { port });
}


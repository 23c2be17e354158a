// The dev container (.devcontainer/) for VS Code and GitHub Codespaces: its configuration read and
// checked by the dev container CLI, then built and started by it, with the stack up and serving when
// the container has started, as a learner who opens it sees it. The one difference the machine
// forces: no registry answers here, so the base image is the local node stand-in (Debian 12 with
// Node.js 20) instead of Microsoft's image, and npm in it gets this machine's extra CA.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { repoPath, repoRoot } from '../../tools/lib/repo.js';
import { dockerTestsMissing, standinImages } from '../../tools/testing/docker-learner.js';
import { cleanEnv, copyProject } from '../../tools/testing/project-copy.js';

const cli = repoPath('tools/node_modules/.bin/devcontainer');

function devcontainer(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(cli, args, { encoding: 'utf8', env, timeout: 900_000 });
}

describe('the dev container', () => {
  it('has a configuration the dev container CLI reads: ports 8080, 8443 and 8090 forwarded with labels, the stack started at each start', () => {
    const read = devcontainer(['read-configuration', '--workspace-folder', repoRoot]);
    assert.equal(read.status, 0, read.stderr);
    const { configuration } = JSON.parse(read.stdout.trim().split('\n').pop()!) as { configuration: Record<string, unknown> };
    assert.deepEqual(configuration.forwardPorts, [8080, 8443, 8090]);
    const ports = configuration.portsAttributes as Record<string, { label?: string }>;
    assert.ok(ports['8080']?.label && ports['8443']?.label && ports['8090']?.label, 'every port has a label');
    assert.equal(configuration.postStartCommand, 'make up');
    assert.equal(configuration.remoteUser, 'node');
  });

  const missing = dockerTestsMissing();
  describe('built and started (stand-in base image)', { skip: missing || false }, () => {
    let copy = '';
    let containerId = '';
    after(() => {
      if (containerId) {
        const image = spawnSync('docker', ['inspect', '-f', '{{.Config.Image}}', containerId], { encoding: 'utf8' }).stdout.trim();
        spawnSync('docker', ['rm', '-f', containerId], { stdio: 'ignore' });
        if (image.startsWith('vsc-')) spawnSync('docker', ['rmi', '-f', image, image.replace(/-uid(:|$)/, '$1')], { stdio: 'ignore' });
      }
      if (copy) rmSync(copy, { recursive: true, force: true });
    });

    it('starts with the stack up: the site answers inside the container, on the forwarded port', () => {
      copy = copyProject('stacklab-devcontainer-', { dependencies: false });
      // The container's user is node (uid 1000), as the owner of a learner's clone would be.
      chownTree(copy, 1000, 1000);
      const docker = spawnSync('sh', [repoPath('tools/stacklab.sh'), 'docker-client'], { encoding: 'utf8' }).stdout.trim();
      const ca = process.env.NODE_EXTRA_CA_CERTS;
      const up = devcontainer(
        [
          'up', '--workspace-folder', copy, '--docker-path', docker,
          ...(ca ? ['--remote-env', 'NODE_EXTRA_CA_CERTS=/tmp/host-ca.crt', '--mount', `type=bind,source=${ca},target=/tmp/host-ca.crt`] : []),
        ],
        cleanEnv({ STACKLAB_DEVCONTAINER_BASE: standinImages().NODE_IMAGE! }),
      );
      const result = JSON.parse(up.stdout.trim().split('\n').pop() ?? '{}') as { outcome?: string; containerId?: string };
      containerId = result.containerId ?? '';
      assert.equal(result.outcome, 'success', up.stdout.slice(-3000) + up.stderr.slice(-2000));
      const exec = (command: string) =>
        devcontainer(['exec', '--workspace-folder', copy, '--docker-path', docker, 'sh', '-c', command]);
      const health = exec('curl -s -o /dev/null -w "%{http_code}" http://localhost:8080/healthz');
      assert.equal(health.stdout.trim(), '200', health.stderr);
      const overHttps = exec('curl -s -o /dev/null -w "%{http_code}" --cacert .stack/tls/ca.crt https://localhost:8443/healthz');
      assert.equal(overHttps.stdout.trim(), '200', overHttps.stderr);
      const ps = exec('make ps');
      for (const service of ['mysql', 'app', 'nginx']) assert.match(ps.stdout, new RegExp(`${service}\\s+running`), ps.stdout);
      assert.match(exec('grep "^STACK=" .env').stdout, /STACK=native/);
    });
  });
});

function chownTree(dir: string, uid: number, gid: number): void {
  chownSync(dir, uid, gid);
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) chownTree(full, uid, gid);
    else chownSync(full, uid, gid);
  }
}

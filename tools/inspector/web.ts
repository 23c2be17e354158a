// `make inspect-web`: the inspector's page at http://127.0.0.1:8090 (INSPECTOR_PORT), in the
// foreground until Ctrl-C. It reads the logs through the same runner as `make inspect`.
import { bold, dim, green, red } from '../lib/terminal.js';
import { startInspectorServer } from './server.js';
import { maxRequests, openRunner } from './source.js';

async function main(): Promise<void> {
  const { runner, env } = openRunner();
  const port = Number(env.INSPECTOR_PORT || 8090);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`INSPECTOR_PORT must be a port number, got "${env.INSPECTOR_PORT}". Fix it in .env.`);
  const server = await startInspectorServer(runner, maxRequests(env), port).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EADDRINUSE') throw new Error(`Port ${port} (INSPECTOR_PORT) is in use. Stop that program, or: make inspect-web INSPECTOR_PORT=8091`);
    throw err;
  });
  console.log(`${green('Inspector:')} open ${bold(server.url)} in your browser (this machine only).`);
  console.log(dim(`It shows the last ${maxRequests(env)} requests through nginx (${runner.url}). Ctrl-C stops it.`));
  process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
}

main().catch((err: unknown) => {
  console.error(`${red('✗')} ${err instanceof Error ? err.message : String(err)}`);
  console.error(dim(`If you are stuck: ${bold('make ps')} shows what runs; ${bold('make inspect')} works without the page.`));
  process.exitCode = 1;
});

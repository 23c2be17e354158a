// The one command behind the make targets: `node --import tsx cli/main.ts <command> [argument]`,
// run from tools/ (the Makefile does). Each command lives with the others of its kind.
import { runBench } from '../bench/run-bench.js';
import { bold, dim, red } from '../lib/terminal.js';
import { courseCommands } from './course-commands.js';
import { inspectCommands, inspectStuckHint } from './inspect-commands.js';
import { stackCommands, stackStuckHint } from './stack-commands.js';

type Command = (arg?: string) => Promise<unknown>;

/** Each command, with the line printed under a failure and the exit status it ends with. */
const groups: { commands: Record<string, Command>; stuckHint?: string; failureStatus: number }[] = [
  { commands: stackCommands, stuckHint: stackStuckHint, failureStatus: 1 },
  // 1 means "not yet" for make check: a failure to run at all is 2.
  { commands: courseCommands, failureStatus: 2 },
  { commands: inspectCommands, stuckHint: inspectStuckHint, failureStatus: 1 },
  { commands: { bench: async () => (process.exitCode = await runBench()) }, failureStatus: 1 },
];

// `make check 5 | head -4`: once the reader has what it wants it closes the pipe, and a further
// write fails with EPIPE. That is no error of ours: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
}

async function main(): Promise<void> {
  const [name = 'help', arg] = process.argv.slice(2);
  const group = groups.find((g) => name in g.commands);
  if (!group) {
    console.log(`Unknown command "${name}". Run ${bold('make help')} to see them all.`);
    process.exitCode = 2;
    return;
  }
  try {
    await group.commands[name]!(arg || undefined);
  } catch (err) {
    console.error(`${red('✗')} ${err instanceof Error ? err.message : String(err)}`);
    if (group.stuckHint) console.error(dim(group.stuckHint));
    process.exitCode = group.failureStatus;
  }
}

await main();

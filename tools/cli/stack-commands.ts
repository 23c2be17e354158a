// make up, down, ps, logs, reload, restart, stop, db-shell and reset with the native runner. (With
// Docker, tools/runners/docker/docker-runner.sh does these with docker compose, printing the same way.)
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { inLearnerPaths } from '../course/diagnosis.js';
import { diagnosisOf } from '../course/doctor.js';
import { progressFile } from '../course/progress.js';
import { checkAppSettings } from '../lib/settings.js';
import { bold, dim, green, red, yellow } from '../lib/terminal.js';
import { openRunner, openStack } from '../runners/open-runner.js';
import { SERVICES, StartError, serviceName, type Runner } from '../runners/runner.js';

const withRunner =
  (run: (runner: Runner, arg?: string) => Promise<void>) =>
  (arg?: string): Promise<void> =>
    run(openRunner(), arg);

export const stackCommands = {
  'check-settings': checkSettings,
  up: withRunner(up),
  down: withRunner(down),
  ps: withRunner(ps),
  logs: withRunner(logs),
  reload: withRunner(reload),
  restart: withRunner(restart),
  stop: withRunner(stop),
  'db-shell': withRunner(dbShell),
  reset: withRunner(reset),
};

export const stackStuckHint = `If you are stuck: ${bold('make ps')} shows what runs, ${bold('make logs')} shows why; README.md has a troubleshooting section.`;

// .env and the shell's values, checked for the tools and for the app, every problem at once.
// (make up runs this first with Docker; natively up() does the same.)
async function checkSettings(): Promise<void> {
  checkAppSettings(openStack().settings);
}

async function up(runner: Runner): Promise<void> {
  checkAppSettings(runner.settings);
  console.log(`${bold('stacklab')} ${dim(`(${runner.description})`)}`);
  const started = Date.now();
  await diagnosed(runner, () => runner.up());
  await printStatus(runner);
  const took = `(up in ${Math.round((Date.now() - started) / 1000)} s)`;
  console.log(`\n${green('Ready:')} open ${bold(runner.url)} in your browser and register an account. ${dim(took)}`);
  console.log(`HTTPS: ${bold(`https://localhost:${runner.settings.ports.https}`)} ${dim('(make ca: how to trust its certificate authority)')}`);
  console.log(`Try first: ${bold(`curl -i ${runner.url}/healthz`)}   then ${bold('make ps')}, ${bold('make logs')}, ${bold('make down')}.`);
}

async function down(runner: Runner): Promise<void> {
  const stopped = await runner.down();
  console.log(stopped.length ? `Stopped ${stopped.join(', ')}. Your data is kept; ${bold('make up')} brings it back.` : 'Nothing was running.');
}

async function ps(runner: Runner): Promise<void> {
  await printStatus(runner);
}

async function printStatus(runner: Runner): Promise<void> {
  console.log(`\n${'SERVICE'.padEnd(8)} ${'STATE'.padEnd(10)} ${'ID'.padEnd(13)} ADDRESS`);
  for (const { service, state, id, address } of await runner.status()) {
    const shown = state === 'running' ? green(state.padEnd(10)) : state === 'starting' ? yellow(state.padEnd(10)) : red(state.padEnd(10));
    console.log(`${service.padEnd(8)} ${shown} ${id.padEnd(13)} ${address}`);
  }
}

async function reload(runner: Runner): Promise<void> {
  const problem = await runner.reload();
  if (problem) {
    // nginx names the copy the runner renders; the learner's file is the one in nginx/.
    console.log(`${red('nginx refused the new configuration')}; the running one stays in place.\n${inLearnerPaths(problem)}`);
    console.log(`\nFix the file named above and run ${bold('make reload')} again.`);
    process.exitCode = 1;
    return;
  }
  console.log(`${green('nginx reloaded')} the configuration from nginx/ (tested with nginx -t first).`);
}

async function restart(runner: Runner, service?: string): Promise<void> {
  const names = service ? [serviceName(service)] : SERVICES;
  await diagnosed(runner, () => runner.restart(names));
  console.log(`Restarted ${names.join(', ')}.`);
  await printStatus(runner);
}

/**
 * Runs a step that starts services; when one does not start, the error ends with the doctor's
 * diagnosis (the cause, the learner's file and line, the next step), not with raw log lines.
 */
async function diagnosed(runner: Runner, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (err) {
    if (!(err instanceof StartError)) throw err;
    throw new Error(`${err.message}\n${await diagnosisOf(runner)}`, { cause: err });
  }
}

async function stop(runner: Runner, service?: string): Promise<void> {
  const names = service ? [serviceName(service)] : SERVICES;
  await runner.stop(names);
  console.log(`Stopped ${names.join(', ')}. ${bold('make up')} starts ${names.length > 1 ? 'them' : 'it'} again.`);
}

// The last lines of each log; keeps following them in a terminal (Ctrl-C stops). FOLLOW=0|1 decides.
async function logs(runner: Runner, service?: string): Promise<void> {
  const follow = process.env.FOLLOW ? process.env.FOLLOW === '1' : process.stdout.isTTY === true;
  await runner.logs(service ? serviceName(service) : undefined, follow);
}

async function dbShell(runner: Runner): Promise<void> {
  console.log(dim(`Connected as the app's user. Try: SHOW TABLES;  SELECT id, username, created_at FROM users;  (quit with \\q)`));
  await runner.dbShell();
}

async function reset(runner: Runner): Promise<void> {
  if (process.env.FORCE !== '1') {
    if (!process.stdin.isTTY) {
      throw new Error(`make reset deletes every user and session. To confirm without a prompt: ${bold('make reset FORCE=1')}`);
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`${yellow('This deletes all data')} (every user and session, all logs; your course progress stays). Type "yes" to go on: `);
    rl.close();
    if (answer.trim() !== 'yes') {
      console.log('Nothing was deleted.');
      return;
    }
  }
  // The course's record of passes and hints lives in .stack/ too, but it is the learner's work, not the
  // stack's data: it survives the reset.
  const progress = existsSync(progressFile) ? readFileSync(progressFile) : undefined;
  await runner.reset();
  if (progress) {
    mkdirSync(path.dirname(progressFile), { recursive: true });
    writeFileSync(progressFile, progress);
  }
  console.log(`All data deleted (your course progress is kept). ${bold('make up')} starts again from an empty database.`);
}

// `make break NAME`, `make unbreak`, and the labs' side of `make check lab-NAME`, `make hint lab-NAME`,
// `make solution lab-NAME`: the break-and-diagnose labs of docs/labs/ (see course/labs.ts).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { applyEdits, breakLab, findLab, followUpsOf, labCheckRefusal, loadLabs, recordLabFixed, unbreakLab, type Lab } from '../course/labs.js';
import { readProgress } from '../course/progress.js';
import { exerciseHeading, printNextStep, recordCheckRun, printResults, showNextHint } from '../course/report.js';
import { runChecks, stackView, type CheckRun } from '../course/run-checks.js';
import { repoPath } from '../lib/repo.js';
import { bold, dim, green } from '../lib/terminal.js';
import { openStack } from '../runners/open-runner.js';

const labs = loadLabs();

export const isLabRef = (arg: string | undefined): boolean => Boolean(arg?.startsWith('lab-'));

export const labCommands = {
  break: async (arg?: string) => {
    const lab = findLab(labs, arg);
    const outcome = breakLab(lab);
    if ('refused' in outcome) {
      console.log(outcome.refused);
      process.exitCode = 1;
      return;
    }
    console.log(`${bold(`Lab ${lab.name}: ${lab.title}`)}. Something in your stack just broke (in ${outcome.changed.length} file${outcome.changed.length > 1 ? 's' : ''}).`);
    await takeEffect(lab, 'The fault is in place');
    console.log(`\nRead ${bold(`docs/labs/${lab.name}/README.md`)}: what you see, where to look, and why. ${bold(`make check lab-${lab.name}`)} says when it is fixed.`);
  },
  unbreak: async () => {
    const lab = unbreakLab(labs);
    if (!lab) return console.log('No lab is broken: there is nothing to undo.');
    console.log(`Put the files of lab ${lab.name} back as they were before make break.`);
    await takeEffect(lab, 'They take effect');
    console.log(dim(`The lab is recorded as undone, not fixed: make break ${lab.name} to try it again.`));
  },
};

export async function checkLab(arg: string): Promise<void> {
  const lab = findLab(labs, arg);
  console.log(exerciseHeading(lab));
  const refusal = labCheckRefusal(lab, Boolean(readProgress().passed[lab.id]));
  const run: CheckRun = refusal
    ? { results: [{ name: 'the lab is broken, then fixed by you', outcome: 'not yet', ...refusal, evidence: 'state' }], inputs: [], durationMs: 0, readState: false }
    : await runChecks(lab, stackView(openStack().stack));
  printResults(run);
  const open = recordCheckRun(lab, run);
  if (!open) {
    recordLabFixed(lab);
    console.log(`\n${green('Fixed!')} Another lab: docs/labs/README.md lists them.`);
    return;
  }
  printNextStep(lab, run);
  process.exitCode = open.outcome === 'error' ? 2 : 1;
}

export const hintLab = async (arg: string) => showNextHint(findLab(labs, arg));

/** The reference fix: solution.md explains it; APPLY=1 makes the fix's edits and reloads or restarts. Asks first. */
export async function labSolution(arg: string, apply: boolean): Promise<void> {
  const lab = findLab(labs, arg);
  if (process.env.FORCE !== '1') {
    const how = `make solution lab-${lab.name}${apply ? ' APPLY=1' : ''} FORCE=1`;
    if (!process.stdin.isTTY) {
      console.log(`${apply ? 'Applying' : 'Showing'} a lab's fix asks first, and there is no terminal to ask in. Without being asked: ${bold(how)}`);
      return;
    }
    const rl = createInterface({ input: process.stdin, output: process.stdout });
    const answer = await rl.question(`${apply ? 'Apply' : 'Show'} the reference fix of lab ${lab.name}? Finding the cause yourself is the point of the lab (y/N) `);
    rl.close();
    if (!/^y(es)?$/i.test(answer.trim())) return;
  }
  if (!apply) {
    console.log(readFileSync(path.join(lab.dir, 'solution.md'), 'utf8'));
    return;
  }
  const result = applyEdits(lab.fix, (file) => readFileSync(repoPath(file), 'utf8'));
  if ('missing' in result) {
    console.log(`${result.missing.file} does not have the broken line this fix replaces (/${result.missing.find}/): is lab ${lab.name} broken (make break ${lab.name})?`);
    process.exitCode = 1;
    return;
  }
  for (const [file, content] of Object.entries(result.files)) writeFileSync(repoPath(file), content);
  console.log(green(`Applied the reference fix of lab ${lab.name} to ${Object.keys(result.files).join(', ')}.`));
  await takeEffect(lab, 'It takes effect');
  console.log(`make check lab-${lab.name} checks it.`);
}

/** The lab's reload or restart; a restart that fails is part of some labs, and is said so, not raised. */
async function takeEffect(lab: Lab, what: string): Promise<void> {
  const { stack } = openStack();
  for (const step of followUpsOf(lab.after)) {
    try {
      console.log(dim(await stack.followUp(step)));
    } catch (err) {
      console.log(dim(`${what}: ${(err as Error).message.split('\n')[0]}`));
      return;
    }
  }
}

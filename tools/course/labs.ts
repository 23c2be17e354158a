// Break-and-diagnose labs: `make break NAME` puts one realistic fault into the learner's own files
// and applies it the way it happened (a reload, a restart), `make unbreak` puts the files back. The
// learner finds the cause (inspector, logs, make doctor, make db-shell) and fixes it; `make check
// lab-NAME` runs the lab's checks with the course's machinery (check.ts, hints.md, progress).
//
// A lab is an Exercise with no number: docs/labs/manifest.json lists each with the edits that break
// it and the edits of its reference fix, as "this line becomes that line" in a file of the project.
// What make break changed is kept in .stack/labs.json, so make unbreak restores exactly those files;
// and the lab is then recorded as undone, not fixed: its check refuses a pass the learner did not earn.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoPath } from '../lib/repo.js';
import type { FollowUp } from '../runners/runner.js';
import type { Exercise } from './exercises.js';

/** One line of a file replaced: `find` is a regular expression (multiline), `replace` its replacement. */
export type LabEdit = { file: string; find: string; replace: string };

export type Lab = Exercise & {
  /** The name typed after make break, e.g. wrong-port (its id for the course's records is lab-wrong-port). */
  name: string;
  breaks: LabEdit[];
  fix: LabEdit[];
};

export type LabState = {
  /** The lab make break applied last, and each file's content before it. */
  active?: { name: string; brokenAt: string; originals: Record<string, string> };
  /** Lab name → when make unbreak undid it (cleared by the next make break of that lab). */
  undone: Record<string, string>;
};

const labsDir = repoPath('docs/labs');
export const labStateFile = repoPath('.stack', 'labs.json');

export function loadLabs(): Lab[] {
  const manifest = JSON.parse(readFileSync(path.join(labsDir, 'manifest.json'), 'utf8')) as {
    labs: { name: string; title: string; after?: Exercise['after']; breaks: LabEdit[]; fix: LabEdit[] }[];
  };
  return manifest.labs.map((l) => ({
    number: 0,
    id: `lab-${l.name}`,
    name: l.name,
    title: l.title,
    dir: path.join(labsDir, l.name),
    after: l.after ?? [],
    breaks: l.breaks,
    fix: l.fix,
  }));
}

/** The lab for `wrong-port` or `lab-wrong-port`, or a clear error listing them. */
export function findLab(labs: Lab[], arg: string | undefined): Lab {
  const name = (arg ?? '').replace(/^lab-/, '');
  const found = labs.find((l) => l.name === name);
  if (!found) {
    const names = labs.map((l) => l.name).join(', ');
    throw new Error(`${arg ? `There is no lab "${arg}".` : 'Which lab?'} The labs are ${names} (docs/labs/README.md): for example make break ${labs[0]!.name}.`);
  }
  return found;
}

export function readLabState(file = labStateFile): LabState {
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<LabState>;
    return { undone: { ...saved.undone }, ...(saved.active && { active: saved.active }) };
  } catch {
    return { undone: {} };
  }
}

function writeLabState(state: LabState, file = labStateFile): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.next`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${file}.next`, file);
}

/**
 * The files after `edits`, or the first edit that does not find its line (the learner changed that
 * file: the lab would not be the fault it describes, so nothing is written).
 */
export function applyEdits(edits: readonly LabEdit[], read: (file: string) => string): { files: Record<string, string> } | { missing: LabEdit } {
  const files: Record<string, string> = {};
  for (const edit of edits) {
    const before = files[edit.file] ?? read(edit.file);
    const pattern = new RegExp(edit.find, 'm');
    if (!pattern.test(before)) return { missing: edit };
    files[edit.file] = before.replace(pattern, edit.replace);
  }
  return { files };
}

const readProject = (file: string) => (existsSync(repoPath(file)) ? readFileSync(repoPath(file), 'utf8') : '');
const writeProject = (files: Record<string, string>) => {
  for (const [file, content] of Object.entries(files)) writeFileSync(repoPath(file), content);
};

/** make break NAME: the files it changed, or why it did not (another lab is broken, a file differs). */
export function breakLab(lab: Lab, file = labStateFile): { changed: string[] } | { refused: string } {
  const state = readLabState(file);
  if (state.active && state.active.name !== lab.name) {
    return { refused: `Lab ${state.active.name} is still broken. Fix it (make check lab-${state.active.name}) or make unbreak, then make break ${lab.name}.` };
  }
  if (state.active) return { refused: `Lab ${lab.name} is broken already: find the cause (docs/labs/${lab.name}/README.md), or make unbreak to start again.` };
  const result = applyEdits(lab.breaks, readProject);
  if ('missing' in result) {
    return { refused: `${result.missing.file} is not as this lab expects (it looks for a line like /${result.missing.find}/); undo your own change there first (git diff ${result.missing.file}; .env: compare with .env.example).` };
  }
  const originals = Object.fromEntries(Object.keys(result.files).map((f) => [f, readProject(f)]));
  // Recorded before the files change: an interrupted break can still be undone.
  delete state.undone[lab.name];
  writeLabState({ ...state, active: { name: lab.name, brokenAt: new Date().toISOString(), originals } }, file);
  writeProject(result.files);
  return { changed: Object.keys(result.files) };
}

/** make unbreak: the lab whose files were put back, or undefined when none was broken. */
export function unbreakLab(labs: Lab[], file = labStateFile): Lab | undefined {
  const state = readLabState(file);
  if (!state.active) return undefined;
  writeProject(state.active.originals);
  const lab = labs.find((l) => l.name === state.active!.name);
  writeLabState({ undone: { ...state.undone, [state.active.name]: new Date().toISOString() } }, file);
  return lab;
}

/** After a lab is fixed, it is no longer the one broken: make break may start another. */
export function recordLabFixed(lab: Lab, file = labStateFile): void {
  const state = readLabState(file);
  if (state.active?.name === lab.name) writeLabState({ undone: state.undone }, file);
}

/** Why `make check lab-NAME` cannot pass now whatever the stack does, or undefined when it may. */
export function labCheckRefusal(lab: Lab, passedBefore: boolean, file = labStateFile): { reason: string; next: string } | undefined {
  const state = readLabState(file);
  if (state.active?.name === lab.name) return undefined;
  if (state.undone[lab.name]) {
    return {
      reason: 'make unbreak put the files back: the lab is undone, not fixed.',
      next: `make break ${lab.name}, then find the cause and fix it yourself (make hint lab-${lab.name} helps)`,
    };
  }
  if (passedBefore) return undefined;
  return { reason: `Lab ${lab.name} is not broken yet: there is nothing to fix.`, next: `make break ${lab.name}, then read docs/labs/${lab.name}/README.md` };
}

/** What makes a change take effect: make reload, or a restart of one service. */
export function followUpsOf(after: Exercise['after']): FollowUp[] {
  return after.map((a) => (a === 'reload' ? { kind: 'reload' } : { kind: 'restart', service: a === 'restart-nginx' ? 'nginx' : 'app' }));
}

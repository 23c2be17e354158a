// make solution N APPLY=1: a reference patch goes into the learner's files only where it fits, never
// over a change of theirs, and a refusal says why in one sentence. Real git, in a throwaway repository.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { applySolutionPatch, patchedFiles } from '../course/apply-solution.js';
import type { Exercise } from '../course/exercises.js';

// Exercise 1 changes "two" in notes.txt; exercise 2 changes it again, so it builds on exercise 1;
// exercise 3 creates a file.
const PATCHES = [
  `diff --git a/notes.txt b/notes.txt
--- a/notes.txt
+++ b/notes.txt
@@ -1,3 +1,3 @@
 one
-two
+TWO
 three
`,
  `diff --git a/notes.txt b/notes.txt
--- a/notes.txt
+++ b/notes.txt
@@ -1,3 +1,3 @@
 one
-TWO
+2
 three
`,
  `diff --git a/extra/new.txt b/extra/new.txt
new file mode 100644
--- /dev/null
+++ b/extra/new.txt
@@ -0,0 +1 @@
+made by the solution
`,
];

let root = '';
let exercises: Exercise[] = [];
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
const notes = () => readFileSync(path.join(root, 'notes.txt'), 'utf8');

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'stacklab-apply-'));
  git('init', '--quiet');
  writeFileSync(path.join(root, 'notes.txt'), 'one\ntwo\nthree\n');
  git('add', '--all');
  git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '--quiet', '-m', 'start');
  // The exercises live outside the repository, so their files never show up in git status.
  const docs = mkdtempSync(path.join(os.tmpdir(), 'stacklab-apply-docs-'));
  exercises = PATCHES.map((patch, i) => {
    const dir = path.join(docs, `0${i + 1}-step`);
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'solution.patch'), patch);
    return { number: i + 1, id: `0${i + 1}-step`, title: `Step ${i + 1}`, dir, after: [] };
  });
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(path.dirname(exercises[0]!.dir), { recursive: true, force: true });
});

const apply = (n: number) => applySolutionPatch(exercises[n - 1]!, exercises.slice(0, n - 1), root);

describe('applySolutionPatch', () => {
  it('applies a solution that fits, then says it is there already', () => {
    const first = apply(1);
    assert.equal(first.applied, true, first.message);
    assert.equal(notes(), 'one\nTWO\nthree\n');
    const again = apply(1);
    assert.equal(again.applied, false);
    assert.match(again.message, /^Nothing to do: the solution of exercise 1 is in your files already/);
  });

  it('applies on top of a change of the learner elsewhere in the file, keeping it', () => {
    writeFileSync(path.join(root, 'notes.txt'), 'one\ntwo\nthree\nmy own line\n');
    assert.equal(apply(1).applied, true);
    assert.equal(notes(), 'one\nTWO\nthree\nmy own line\n');
  });

  it('refuses to write over a change of the learner, in one sentence, and changes nothing', () => {
    writeFileSync(path.join(root, 'notes.txt'), 'one\nmy two\nthree\n');
    const outcome = apply(1);
    assert.equal(outcome.applied, false);
    assert.match(outcome.message, /^Not applied, to keep your work: you have changed notes\.txt yourself[^\n]*\.$/);
    assert.equal(notes(), 'one\nmy two\nthree\n');
  });

  it('refuses to replace a file the learner created where the solution creates one', () => {
    mkdirSync(path.join(root, 'extra'));
    writeFileSync(path.join(root, 'extra/new.txt'), 'mine\n');
    const outcome = apply(3);
    assert.equal(outcome.applied, false);
    assert.match(outcome.message, /you have changed extra\/new\.txt yourself/);
    assert.equal(readFileSync(path.join(root, 'extra/new.txt'), 'utf8'), 'mine\n');
  });

  it('names the earlier exercise a solution builds on', () => {
    const outcome = apply(2);
    assert.equal(outcome.applied, false);
    assert.match(outcome.message, /^Not applied: it builds on the solution of exercise 1, which your files do not have yet \(make solution 1 APPLY=1 applies it\)\.$/);
    assert.equal(git('status', '--porcelain'), '');
    assert.equal(apply(1).applied, true);
    assert.equal(apply(2).applied, true);
    assert.equal(notes(), 'one\n2\nthree\n');
  });

  it('says how to apply it by hand outside a git clone', () => {
    rmSync(path.join(root, '.git'), { recursive: true, force: true });
    const outcome = apply(1);
    assert.equal(outcome.applied, false);
    assert.match(outcome.message, /needs git and a git clone of the project; apply it by hand with: patch -p1 </);
  });
});

describe('patchedFiles', () => {
  it('lists every file a patch creates or changes', () => {
    assert.deepEqual(patchedFiles(PATCHES.join('')), ['notes.txt', 'extra/new.txt']);
  });
});

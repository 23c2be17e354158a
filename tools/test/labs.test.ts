// The labs' manifest against the project's files: each lab's break finds its line in the files as
// they are in git (.env as make up writes it from .env.example), and its reference fix puts back
// exactly what was there. And make unbreak is recorded as undone, which a lab's check refuses.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { applyEdits, labCheckRefusal, loadLabs, readLabState, recordLabFixed } from '../course/labs.js';
import { repoPath } from '../lib/repo.js';

const labs = loadLabs();
const readAsInGit = (file: string) => readFileSync(repoPath(file === '.env' ? '.env.example' : file), 'utf8');

describe('the labs (docs/labs/manifest.json)', () => {
  it('are at least five, each with a name make accepts', () => {
    assert.ok(labs.length >= 5);
    for (const lab of labs) assert.match(lab.name, /^[a-z][a-z-]+$/);
  });

  for (const lab of labs) {
    it(`${lab.name}: the break changes the project's files, and the reference fix restores them exactly`, () => {
      const broken = applyEdits(lab.breaks, readAsInGit);
      assert.ok('files' in broken, `${lab.name}: the break finds its line`);
      for (const [file, text] of Object.entries(broken.files)) assert.notEqual(text, readAsInGit(file));
      const fixed = applyEdits(lab.fix, (file) => broken.files[file] ?? readAsInGit(file));
      assert.ok('files' in fixed, `${lab.name}: the fix finds the broken line`);
      for (const [file, text] of Object.entries(fixed.files)) assert.equal(text, readAsInGit(file), `${lab.name}: ${file} as before`);
      // A fix of a file that was never broken finds nothing to fix.
      assert.ok('missing' in applyEdits(lab.fix, readAsInGit));
    });
  }

  it('a check is refused before make break, and after make unbreak; allowed while broken and after a pass', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-labs-'));
    const file = path.join(dir, 'labs.json');
    try {
      const lab = labs[0]!;
      assert.match(labCheckRefusal(lab, false, file)!.reason, /not broken yet/);
      writeFileSync(file, JSON.stringify({ active: { name: lab.name, brokenAt: '', originals: {} }, undone: {} }));
      assert.equal(labCheckRefusal(lab, false, file), undefined);
      writeFileSync(file, JSON.stringify({ undone: { [lab.name]: 'now' } }));
      assert.match(labCheckRefusal(lab, true, file)!.reason, /undone, not fixed/);
      writeFileSync(file, JSON.stringify({ active: { name: lab.name, brokenAt: '', originals: {} }, undone: {} }));
      recordLabFixed(lab, file);
      assert.equal(readLabState(file).active, undefined);
      assert.equal(labCheckRefusal(lab, true, file), undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

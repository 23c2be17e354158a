// The course's record of passes and hints (.stack/course-progress.json): a pass keeps the time it was
// first made, and a damaged file costs the record, never a crash.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { readProgress, recordHintsShown, recordPass } from '../course/progress.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-progress-'));
after(() => rmSync(dir, { recursive: true, force: true }));
let count = 0;
const freshFile = () => path.join(dir, `state-${++count}`, 'course-progress.json');

describe('course progress', () => {
  it('starts empty when there is no file yet', () => {
    assert.deepEqual(readProgress(freshFile()), { passed: {}, hintsShown: {} });
  });

  it('records a pass once, with the time it was first made', () => {
    const file = freshFile();
    recordPass('01-http-by-hand', new Date('2025-01-02T03:04:05Z'), file);
    recordPass('01-http-by-hand', new Date('2025-06-01T00:00:00Z'), file);
    recordPass('02-the-gate', new Date('2025-01-03T00:00:00Z'), file);
    assert.deepEqual(readProgress(file).passed, { '01-http-by-hand': '2025-01-02T03:04:05.000Z', '02-the-gate': '2025-01-03T00:00:00.000Z' });
  });

  it('keeps the hints shown beside the passes', () => {
    const file = freshFile();
    recordPass('01-http-by-hand', new Date(), file);
    recordHintsShown('03-change-nginx', 2, file);
    const progress = readProgress(file);
    assert.equal(progress.hintsShown['03-change-nginx'], 2);
    assert.ok(progress.passed['01-http-by-hand']);
  });

  it('reads a damaged file as an empty record', () => {
    const file = freshFile();
    recordPass('01-http-by-hand', new Date(), file);
    writeFileSync(file, '{"passed": {"01-http');
    assert.deepEqual(readProgress(file), { passed: {}, hintsShown: {} });
  });
});

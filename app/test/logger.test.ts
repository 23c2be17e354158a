// The log: one JSON object per line, on stdout and, with LOG_FILE, appended to a file as well
// (request lines to the file only).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createLogger, stdoutAndFile } from '../src/logger.js';

describe('stdoutAndFile (LOG_FILE)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'stacklab-log-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every line to stdout and appends it to the file, after what the file already held', () => {
    const file = path.join(dir, 'app.log');
    writeFileSync(file, '{"earlier":true}\n');
    const printed: string[] = [];
    const log = createLogger({ instance: 'test' }, stdoutAndFile(file, (line) => printed.push(line)));
    log.info('first', { n: 1 });
    log.warn('second');
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.event ?? 'earlier'), ['earlier', 'first', 'second']);
    assert.equal(printed.length, 2);
    assert.equal(lines[1]!.instance, 'test');
  });

  it("writes a request's line to the file only, and every other event to both", () => {
    const file = path.join(dir, 'requests.log');
    const printed: string[] = [];
    const log = createLogger({}, stdoutAndFile(file, (line) => printed.push(line)));
    log.info('request', { path: '/' });
    log.warn('login_failed');
    log.error('request_failed');
    const inFile = readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { event: string }).event);
    assert.deepEqual(inFile, ['request', 'login_failed', 'request_failed']);
    assert.deepEqual(printed.map((l) => (JSON.parse(l) as { event: string }).event), ['login_failed', 'request_failed']);
  });

  it('goes on with stdout alone, saying so once, when the file cannot be opened', () => {
    const printed: string[] = [];
    const log = createLogger({}, stdoutAndFile(path.join(dir, 'no-such-folder', 'app.log'), (line) => printed.push(line)));
    log.info('still logged');
    assert.equal(printed.length, 2);
    assert.equal((JSON.parse(printed[0]!) as { event: string }).event, 'log_file_unavailable');
    assert.equal((JSON.parse(printed[1]!) as { event: string }).event, 'still logged');
  });

  it('is stdout alone, request lines included, without LOG_FILE', () => {
    const printed: string[] = [];
    const log = createLogger({}, stdoutAndFile(undefined, (line) => printed.push(line)));
    log.info('x');
    log.info('request');
    assert.equal(printed.length, 2);
  });
});

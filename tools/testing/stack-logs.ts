// Reading the test stack's JSON logs in tests.
import { existsSync, readFileSync } from 'node:fs';
import { parseJsonText, type JsonLine } from '../lib/json-lines.js';
import { statePaths } from '../runners/native/native-options.js';
import type { TestStackInfo } from './test-stack.js';

export type LogLine = JsonLine;

function readJsonLines(file: string): LogLine[] {
  return existsSync(file) ? parseJsonText(readFileSync(file, 'utf8')) : [];
}

/** Waits (up to 3 s) for log lines matching `match`: a log line is written just after the response. */
async function waitForLines(file: string, match: (line: LogLine) => boolean): Promise<LogLine[]> {
  const deadline = Date.now() + 3000;
  for (;;) {
    const found = readJsonLines(file).filter(match);
    if (found.length > 0 || Date.now() > deadline) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function appLogLines(info: TestStackInfo, match: (line: LogLine) => boolean): Promise<LogLine[]> {
  return waitForLines(statePaths(info.stateDir).appLog, match);
}

export function accessLogLines(info: TestStackInfo, match: (line: LogLine) => boolean): Promise<LogLine[]> {
  return waitForLines(statePaths(info.stateDir).accessLog, match);
}

export function appLogText(info: TestStackInfo): string {
  const file = statePaths(info.stateDir).appLog;
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

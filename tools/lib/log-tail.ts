// Reading the end of a log file without reading all of it (a log can be megabytes long).
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';

/** The last `count` non-empty lines of a file, read backwards from its end. */
export function tailLines(file: string, count: number): string[] {
  if (count <= 0 || !existsSync(file)) return [];
  const fd = openSync(file, 'r');
  try {
    let position = statSync(file).size;
    let text = '';
    const block = Buffer.alloc(64 * 1024);
    // Stop once we hold more line breaks than lines asked for (the first line may be partial).
    while (position > 0 && text.split('\n').length <= count + 1) {
      const size = Math.min(block.length, position);
      position -= size;
      readSync(fd, block, 0, size, position);
      text = block.toString('utf8', 0, size) + text;
    }
    const lines = text.split('\n').filter((line) => line.trim() !== '');
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}

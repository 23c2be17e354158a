// Log files: reading their end without reading all of them (a log can be megabytes long), and
// keeping them bounded by rotating them.
import { closeSync, copyFileSync, existsSync, openSync, readSync, renameSync, statSync, truncateSync } from 'node:fs';

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

/**
 * Rotates `file` when it is bigger than maxBytes, keeping one old copy (`file.1`, replacing the
 * previous one). So a log never takes more than about twice maxBytes on disk.
 *  - rename (nginx's log): the file is renamed, then `reopen` tells the writer to open a new one
 *    (nginx does so on SIGUSR1). Nothing is lost: until then nginx writes on into the renamed file.
 *  - copy-truncate (the app's log): the app's stdout is the file itself and cannot be reopened, so
 *    the file is copied and then emptied in place. The app appends (O_APPEND), so it goes on writing
 *    at the new end; a line written between the copy and the truncate would be lost.
 */
export function rotateIfLarge(file: string, maxBytes: number, how: 'rename' | 'copy-truncate', reopen?: () => void): boolean {
  if (!existsSync(file) || statSync(file).size <= maxBytes) return false;
  if (how === 'rename') {
    renameSync(file, `${file}.1`);
    reopen?.();
  } else {
    copyFileSync(file, `${file}.1`);
    truncateSync(file, 0);
  }
  return true;
}

/** The text a file holds from byte `offset` on (empty when it is missing or shorter). */
export function readFrom(file: string, offset: number): string {
  if (!existsSync(file)) return '';
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(Math.max(0, statSync(file).size - offset));
    readSync(fd, buffer, 0, buffer.length, offset);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** The newest `count` lines of a rotated log: from the current file, topped up from `file.1`. */
export function newestLines(file: string, count: number): string[] {
  const current = tailLines(file, count);
  return current.length >= count ? current : [...tailLines(`${file}.1`, count - current.length), ...current];
}

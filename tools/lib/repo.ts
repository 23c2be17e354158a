// Where the project is. Every tool finds the project's files from here, whatever folder it runs in
// (a test's copy of the project finds its own copy).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A path inside the project: repoPath('nginx', 'snippets'). */
export function repoPath(...parts: string[]): string {
  return path.join(repoRoot, ...parts);
}

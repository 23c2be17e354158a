// Logs of the stack are JSON lines (nginx's access log, the app's log). One reader for all of them.
export type JsonLine = Record<string, unknown>;

/**
 * The JSON objects among `lines`, in order. A line may carry a prefix before its first brace (compose
 * writes "app-1  | " in front of a container's output); a line that is not JSON (cut in half by a
 * rotation, or some program's plain text) is skipped.
 */
export function parseJsonLines(lines: Iterable<string>): JsonLine[] {
  const parsed: JsonLine[] = [];
  for (const line of lines) {
    const start = line.indexOf('{');
    if (start === -1) continue;
    try {
      const value: unknown = JSON.parse(line.slice(start));
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) parsed.push(value as JsonLine);
    } catch {
      // not a whole JSON object: skip it
    }
  }
  return parsed;
}

/** The JSON objects in a whole text (a file's content). */
export function parseJsonText(text: string): JsonLine[] {
  return parseJsonLines(text.split('\n'));
}

/** A field of a JSON line as text: '' when it is missing or null. */
export function fieldText(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

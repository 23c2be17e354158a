// What a username may be. Any letters, digits, spaces and punctuation are allowed, so a learner can
// register `' OR 1=1 -- ` and see it stored literally: placeholders, not character bans, stop injection.
export const USERNAME_MIN_CHARS = 3;
export const USERNAME_MAX_CHARS = 32;

/** Canonical form, so "é" typed two different ways is one username. */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFC').trim();
}

/** Returns why a (normalized) username is not acceptable, or undefined when it is. */
export function checkUsernameRules(username: string): string | undefined {
  const length = [...username].length;
  if (length < USERNAME_MIN_CHARS || length > USERNAME_MAX_CHARS) {
    return `Choose a username of ${USERNAME_MIN_CHARS} to ${USERNAME_MAX_CHARS} characters.`;
  }
  // Letters, marks, numbers, punctuation, symbols and plain spaces; no control or invisible characters.
  if (!/^[\p{L}\p{M}\p{N}\p{P}\p{S} ]+$/u.test(username)) {
    return 'Use letters, digits, spaces and punctuation only.';
  }
  return undefined;
}

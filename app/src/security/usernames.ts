// What a username may be. Any letters, digits, spaces and punctuation are allowed, so a learner can
// register `' OR 1=1 -- ` and see it stored literally: placeholders, not character bans, stop injection.
export const USERNAME_MIN_CHARS = 3;
export const USERNAME_MAX_CHARS = 32;

/** Canonical form, so "é" typed two different ways is one username. */
export function normalizeUsername(raw: string): string {
  return raw.normalize('NFC').trim();
}

// Alphabets whose letters look alike: Latin a, Cyrillic а, Greek α; Latin o, Cyrillic о, Greek ο,
// Armenian օ; Latin S, Cherokee Ꮪ… A name that mixes them can pass for another one: "аdmin" with a
// Cyrillic а looks exactly like "admin", yet the database sees two different names. So a username's
// letters may come from at most one of these alphabets (the idea of Unicode TR39's mixed-script
// restriction, narrowed to the alphabets that look like Latin). Other scripts, digits, punctuation and
// symbols mix freely. A name wholly in one of them that looks like a word of another ("сосо" in
// Cyrillic, "coco" in Latin) still passes: catching that needs TR39's full table of look-alikes.
const LOOKALIKE_ALPHABETS: readonly [string, RegExp][] = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Armenian', /\p{Script=Armenian}/u],
  ['Cherokee', /\p{Script=Cherokee}/u],
];

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
  const alphabets = LOOKALIKE_ALPHABETS.filter(([, letters]) => letters.test(username)).map(([name]) => name);
  if (alphabets.length > 1) {
    return `Use letters of one alphabet: this name mixes ${alphabets.join(' and ')} letters, which look alike (like a and а), so it could pass for someone else's.`;
  }
  return undefined;
}

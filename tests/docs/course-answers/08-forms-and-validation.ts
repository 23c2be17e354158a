// Exercise 8: the display-name form, validated on the server by characters (after NFC), no control
// characters, errors shown next to the field, 303 after saving.
import { patchWith, referencePatch, type ExerciseAnswers } from './answers.js';

const REFERENCE = referencePatch('08-forms-and-validation');
const COUNT = '+  const length = [...displayName].length;';
const CONTROL = "+  if (/\\p{Cc}/u.test(displayName)) return 'Use letters, digits, spaces and punctuation; no line breaks or tabs.';";
const CLEAN = "+    const displayName = form.display_name.normalize('NFC').trim();";

export default {
  readmeSays: { 5: [/HTTP\/1.1 303 See Other/, /Grace H./], 6: [/^422$/m, /^403$/m] },
  solutionAtStep: 2,
  wrong: [
    {
      what: 'characters counted with .length, which counts an emoji as two',
      patch: patchWith(REFERENCE, COUNT, '+  const length = displayName.length;'),
      commands: 'make restart SERVICE=app',
      expect: /a name of 30 emoji \(30 characters; \.length says 60\) answered 422, not 303/,
    },
    {
      what: 'only line breaks and tabs refused, so escape codes and bells get in',
      patch: patchWith(REFERENCE, CONTROL, "+  if (/[\\n\\r\\t]/.test(displayName)) return 'Use letters, digits, spaces and punctuation; no line breaks or tabs.';"),
      commands: 'make restart SERVICE=app',
      expect: /a name with terminal escape codes \(ESC \[31m … BEL\) answered 303, not 422/,
    },
    {
      what: 'no NFC: an é typed as e + accent counts as two characters, and is stored that way',
      patch: patchWith(REFERENCE, CLEAN, '+    const displayName = form.display_name.trim();'),
      commands: 'make restart SERVICE=app',
      expect: /40 × é typed as e \+ a combining accent .* answered 422, not 303/,
    },
    {
      what: 'characters counted as the eye sees them (graphemes), which the 40 characters of VARCHAR(40) are not',
      patch: patchWith(REFERENCE, COUNT, "+  const length = [...new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(displayName)].length;"),
      commands: 'make restart SERVICE=app',
      expect: /21 letters with a combining accent each .* answered (500|303), not 422/,
    },
    {
      what: 'the redirect left at 302 (ctx.status = 303 forgotten)',
      patch: patchWith(REFERENCE, '+    ctx.status = 303;', '+    // (status left as the redirect set it)'),
      commands: 'make restart SERVICE=app',
      expect: /Saving a valid display name answered 302 to \/account, not 303 to \/account/,
    },
  ],
  alternative: {
    what: 'one regular expression for all the rules, and its own wording',
    patch: patchWith(
      patchWith(REFERENCE, COUNT, "+  const length = displayName.match(/./gsu)?.length ?? 0;"),
      CONTROL,
      "+  if (!/^[^\\p{Cc}]+$/u.test(displayName)) return 'A name is written on one line, without control characters.';",
    ),
    commands: 'make restart SERVICE=app',
  },
} satisfies ExerciseAnswers;

// Exercise 7: GET /members, the 10 newest members, newest first, for signed-in members, escaped.
import { inDbShell, patchWith, referencePatch, type ExerciseAnswers } from './answers.js';

const REFERENCE = referencePatch('07-a-new-route');
const ROW = '+          <tr><td>{{ member.username }}</td><td>{{ member.memberSince }}</td></tr>';
const EARLY_BIRDS = Array.from({ length: 11 }, (_, i) => `('early-bird-${i + 1}', '(no password)', '2020-01-01 00:00:${10 + i}')`).join(', ');

export default {
  readmeSays: { 1: [/^404$/m], 7: [/^302 .*\/login$/m, /sign in: 303/, /<td>curl-grace<\/td>/], 8: [/register: 303/, /&lt;b&gt;curl&lt;\/b&gt;/] },
  solutionAtStep: 2,
  wrong: [
    {
      what: 'the username printed with | safe, so a name with a tag becomes HTML',
      patch: patchWith(REFERENCE, ROW, '+          <tr><td>{{ member.username | safe }}</td><td>{{ member.memberSince }}</td></tr>'),
      commands: 'make restart SERVICE=app',
      expect: /was put into the page as HTML, so the browser would read <b> as a tag/,
    },
    {
      what: 'the oldest first (ORDER BY created_at, without DESC)',
      patch: patchWith(
        REFERENCE,
        "+    'SELECT username, created_at FROM users ORDER BY created_at DESC, id DESC LIMIT ?',",
        "+    'SELECT username, created_at FROM users ORDER BY created_at, id LIMIT ?',",
      ),
      // A site with members from long ago: the oldest ten are not the newest ten.
      commands: `make restart SERVICE=app
${inDbShell(`INSERT INTO users (username, password_hash, created_at) VALUES ${EARLY_BIRDS};`)}`,
      undo: inDbShell("DELETE FROM users WHERE username LIKE 'early-bird-%';"),
      expect: /of the 10 members who joined last are not on the page|A member who just registered .* is not on the page/,
    },
    {
      what: 'the page open to everyone: requireSignIn() left out',
      patch: patchWith(REFERENCE, "+  router.get('/members', requireSignIn(), members);", "+  router.get('/members', members);"),
      commands: 'make restart SERVICE=app',
      expect: /A visitor who is not signed in got \d+ from \/members instead of a redirect to \/login/,
    },
    {
      what: 'one member too many: 11 instead of 10',
      patch: patchWith(REFERENCE, '+const NEWEST_COUNT = 10;', '+const NEWEST_COUNT = 11;'),
      commands: 'make restart SERVICE=app',
      expect: /The page shows an 11th member/,
    },
  ],
  alternative: {
    what: 'newest first by id (ids only grow), and the username as the row header',
    patch: patchWith(
      patchWith(
        REFERENCE,
        "+    'SELECT username, created_at FROM users ORDER BY created_at DESC, id DESC LIMIT ?',",
        "+    'SELECT username, created_at FROM users ORDER BY id DESC LIMIT ?',",
      ),
      ROW,
      '+          <tr><th scope="row">{{ member.username }}</th><td>{{ member.memberSince }}</td></tr>',
    ),
    commands: 'make restart SERVICE=app',
  },
} satisfies ExerciseAnswers;

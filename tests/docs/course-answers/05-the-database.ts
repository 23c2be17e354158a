// Exercise 5: one user's bcrypt hash copied onto another, who then signs in with the first one's password.
import { inDbShell, type ExerciseAnswers } from './answers.js';

// The shell functions of steps 1 and 5, then step 1's registrations. Each answer posts from an
// address of its own (curl --interface), as another machine would: nginx allows each address only
// so many sign-in and registration posts a minute, and the answers follow each other quickly.
const start = (from: string) => `
register() {
  rm -f /tmp/jar5
  token=$(curl -s --interface ${from} -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
  curl -s -o /dev/null -w "$1: %{http_code}\\n" --interface ${from} -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/register \\
    --data-urlencode "_csrf=$token" --data-urlencode "username=$1" \\
    --data-urlencode "password=$2" --data-urlencode "password_confirm=$2"
}
login() {
  rm -f /tmp/jar5
  token=$(curl -s --interface ${from} -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
  curl -s -o /dev/null -w "$1 with \\"$2\\": %{http_code}\\n" --interface ${from} -c /tmp/jar5 -b /tmp/jar5 http://localhost:8080/login \\
    --data-urlencode "_csrf=$token" --data-urlencode "username=$1" --data-urlencode "password=$2"
}
register hash-ada "purple elephant 42"
register hash-bob "purple elephant 42"
register hash-cy "cy keeps her own secret"
`;
const COPY_ADA_ONTO_CY = inDbShell(`
SET @h = (SELECT password_hash FROM users WHERE username = 'hash-ada');
UPDATE users SET password_hash = @h WHERE username = 'hash-cy';`);
const REMOVE_USERS = inDbShell("DELETE FROM users WHERE username LIKE 'hash-%';");

export default {
  readmeSays: { 1: [/hash-ada: 303/, /hash-cy: 303/], 5: [/hash-cy with "cy keeps her own secret": 401/, /hash-cy with "purple elephant 42": 303/, /login_succeeded/] },
  undoSolution: REMOVE_USERS,
  wrong: [
    {
      what: "the hash copied, but hash-ada signs in with her own password: that proves nothing",
      commands: `${start('127.0.0.51')}\n${COPY_ADA_ONTO_CY}\nlogin hash-ada "purple elephant 42"`,
      undo: REMOVE_USERS,
      expect: /hash-ada signed in, but nothing shows the copied hash let them in/,
    },
    {
      what: 'hash-cy signs in with her own password before the copy, then the copy, and no sign-in after it',
      commands: `${start('127.0.0.52')}\nlogin hash-cy "cy keeps her own secret"\n${COPY_ADA_ONTO_CY}`,
      undo: REMOVE_USERS,
      expect: /hash-cy signed in, but nothing shows the copied hash let them in/,
    },
    {
      what: 'no copy at all: hash-cy signs in with her own password',
      commands: `${start('127.0.0.53')}\nlogin hash-cy "cy keeps her own secret"`,
      undo: REMOVE_USERS,
      expect: /Every "hash-" user has a hash of their own/,
    },
    {
      what: 'a hash typed in by hand, cut short, instead of copied with SQL',
      commands: `${start('127.0.0.54')}\n${inDbShell("UPDATE users SET password_hash = '$2b$12$SFtNm/TCjf/zSkduo3jTlO' WHERE username = 'hash-cy';")}`,
      undo: REMOVE_USERS,
      expect: /hash-cy's password_hash is not a bcrypt hash/,
    },
  ],
  alternative: {
    what: "hash-bob's hash copied onto hash-cy with one UPDATE … JOIN, then cy refused with her own password and let in with bob's",
    commands: `${start('127.0.0.55')}
${inDbShell(`
UPDATE users AS cy JOIN users AS bob ON bob.username = 'hash-bob'
   SET cy.password_hash = bob.password_hash
 WHERE cy.username = 'hash-cy';`)}
login hash-cy "cy keeps her own secret"
login hash-cy "purple elephant 42"`,
    undo: REMOVE_USERS,
  },
} satisfies ExerciseAnswers;

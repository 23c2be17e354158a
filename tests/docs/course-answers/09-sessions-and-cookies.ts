// Exercise 9: signed in and out with curl; the idle timeout set to 15 minutes in .env, the app restarted.
import { inDbShell, type ExerciseAnswers } from './answers.js';

// Each answer posts from an address of its own (curl --interface), as another machine would: nginx
// allows each address only so many sign-in posts a minute, and the answers follow each other quickly.
const register = (from: string) => `
rm -f /tmp/jar9
token=$(curl -s --interface ${from} -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w 'register: %{http_code}\\n' --interface ${from} -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/register \\
  --data-urlencode "_csrf=$token" --data-urlencode "username=cookie-ada" \\
  --data-urlencode "password=a jar full of cookies" --data-urlencode "password_confirm=a jar full of cookies"
`;
const signIn = (from: string) => `
rm -f /tmp/jar9
token=$(curl -s --interface ${from} -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w 'sign in: %{http_code}\\n' --interface ${from} -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/login \\
  --data-urlencode "_csrf=$token" --data-urlencode "username=cookie-ada" --data-urlencode "password=a jar full of cookies"
`;
const signOut = (from: string) => `
token=$(curl -s --interface ${from} -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/ | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w 'sign out: %{http_code}\\n' --interface ${from} -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/logout --data-urlencode "_csrf=$token"
`;
const signedInAndOut = (from: string) => `${register(from)}${signIn(from)}${signOut(from)}`;
const REMOVE_USER = inDbShell("DELETE FROM users WHERE username = 'cookie-ada';");

export default {
  readmeSays: { 1: [/register: 303/, /HTTP\/1.1 303 See Other/, /set-cookie: stacklab.sid=[^\n]*httponly/i], 4: [/HTTP\/1.1 303 See Other[\s\S]*HTTP\/1.1 302 Found/], 6: [/set-cookie: stacklab.sid=/i] },
  undoSolution: REMOVE_USER,
  wrong: [
    {
      what: 'SESSION_IDLE_TIMEOUT_S=900 in .env, but the app not restarted: it still runs with 1800',
      commands: `${signedInAndOut('127.0.0.91')}sed -i 's/^SESSION_IDLE_TIMEOUT_S=.*/SESSION_IDLE_TIMEOUT_S=900/' .env`,
      undo: REMOVE_USER,
      expect: /expires 1800 s \(30 min\) after it was set, not about 900 s/,
    },
    {
      what: 'the timeout given in minutes (15) where the setting counts seconds',
      commands: `${signedInAndOut('127.0.0.92')}sed -i 's/^SESSION_IDLE_TIMEOUT_S=.*/SESSION_IDLE_TIMEOUT_S=15/' .env\nmake restart SERVICE=app`,
      undo: REMOVE_USER,
      expect: /expires 15 s \(0 min\) after it was set, not about 900 s/,
    },
    {
      what: 'the sign-out posted with a token from another cookie jar (403)',
      commands: `${register('127.0.0.93')}${signIn('127.0.0.93')}
token=$(curl -s --interface 127.0.0.93 http://localhost:8080/ | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w 'sign out: %{http_code}\\n' --interface 127.0.0.93 -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/logout --data-urlencode "_csrf=$token"`,
      undo: REMOVE_USER,
      expect: /no sign-out sent by curl \(POST \/logout answered 303/,
    },
    {
      what: 'signed out with a fresh jar that never signed in (its token from the sign-in form): a 303, but no session ended',
      commands: `${register('127.0.0.94')}${signIn('127.0.0.94')}
rm -f /tmp/jar9-other
token=$(curl -s --interface 127.0.0.94 -c /tmp/jar9-other -b /tmp/jar9-other http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w 'sign out: %{http_code}\\n' --interface 127.0.0.94 -c /tmp/jar9-other -b /tmp/jar9-other http://localhost:8080/logout --data-urlencode "_csrf=$token"`,
      undo: REMOVE_USER,
      expect: /no signed-in session ended/,
    },
  ],
  alternative: {
    what: 'the token taken from the account page, and the setting rewritten with grep and echo',
    commands: `${register('127.0.0.95')}${signIn('127.0.0.95')}
token=$(curl -s --interface 127.0.0.95 -c /tmp/jar9 -b /tmp/jar9 http://localhost:8080/account | grep -o 'name="_csrf" value="[^"]*"' | head -n 1 | cut -d '"' -f 4)
curl -s -o /dev/null -w 'sign out: %{http_code}\\n' --interface 127.0.0.95 -c /tmp/jar9 -b /tmp/jar9 -d "_csrf=$token" http://localhost:8080/logout
grep -v '^SESSION_IDLE_TIMEOUT_S=' .env > /tmp/env.next && echo 'SESSION_IDLE_TIMEOUT_S=900' >> /tmp/env.next && cat /tmp/env.next > .env
make restart SERVICE=app`,
    undo: REMOVE_USER,
  },
} satisfies ExerciseAnswers;

// Exercise 10: an injection stored as text and harmless at sign-in; a tight rate limit loaded from
// .env and seen refusing guesses by itself; the usual limits back. Each answer sends from an address
// of its own (curl --interface), as another machine would, so nginx's memory of one answer's posts
// does not carry over into the next.
import { inDbShell, type ExerciseAnswers } from './answers.js';

/** Registers the injection user and tries to sign in with it, from `from`. */
const inject = (from: string) => `
rm -f /tmp/jar10
token=$(curl -s --interface ${from} -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w 'register: %{http_code}\\n' --interface ${from} -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/register \\
  --data-urlencode "_csrf=$token" --data-urlencode "username=' OR 1=1 -- x" \\
  --data-urlencode "password=a long passphrase" --data-urlencode "password_confirm=a long passphrase"
`;
/** `count` password guesses in one quick loop, from `from`. */
const guess = (from: string, count: number) => `
token=$(curl -s --interface ${from} -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
for i in $(seq ${count}); do
  curl -s -o /dev/null -w "guess $i: %{http_code}\\n" --interface ${from} -b /tmp/jar10 http://localhost:8080/login \\
    --data-urlencode "_csrf=$token" --data-urlencode "username=curl-ada" --data-urlencode "password=guess number $i"
done
`;
const TIGHT = "sed -i -e 's/^AUTH_RATE_PER_MINUTE=.*/AUTH_RATE_PER_MINUTE=5/' -e 's/^AUTH_BURST=.*/AUTH_BURST=2/' .env";
const USUAL = "sed -i -e 's/^AUTH_RATE_PER_MINUTE=.*/AUTH_RATE_PER_MINUTE=20/' -e 's/^AUTH_BURST=.*/AUTH_BURST=10/' .env";
const REMOVE_USER = inDbShell("DELETE FROM users WHERE username LIKE '%OR 1=1%';");

export default {
  readmeSays: { 1: [/HTTP\/1.1 303 See Other/], 3: [/HTTP\/1.1 401/, /Wrong username or password/], 6: [/HTTP\/1.1 429 Too Many Requests/, /limiting requests/] },
  // nginx remembers each address's posts for a while: a restart gives the README a fresh start.
  undoSolution: `${REMOVE_USER}\nmake restart SERVICE=nginx`,
  wrong: [
    {
      what: 'the limits lowered in .env, but nginx not reloaded: every guess reaches the app',
      commands: `${inject('127.0.0.21')}${TIGHT}\n${guess('127.0.0.21', 8)}`,
      undo: REMOVE_USER,
      expect: /nginx still runs rate=20r\/m, burst=10, while .env says 5 and 2/,
    },
    {
      what: 'the usual limits hammered with many guesses instead of lowered and reloaded',
      commands: `${inject('127.0.0.22')}${guess('127.0.0.22', 16)}`,
      undo: REMOVE_USER,
      expect: /refused a post only after letting \d+ through within a minute: that is the usual limit/,
    },
    {
      what: 'the usual limits put back in .env at the end, but nginx not reloaded after that',
      commands: `${inject('127.0.0.23')}${TIGHT}\nmake reload\n${guess('127.0.0.23', 8)}${USUAL}`,
      undo: REMOVE_USER,
      expect: /\.env says 20 posts a minute with a burst of 10; nginx has loaded rate=5r\/m, burst=2/,
    },
  ],
  alternative: {
    what: 'tighter still (3 a minute, burst 1), the guesses sent by xargs, the usual limits back',
    commands: `${inject('127.0.0.24')}
sed -i -e 's/^AUTH_RATE_PER_MINUTE=.*/AUTH_RATE_PER_MINUTE=3/' -e 's/^AUTH_BURST=.*/AUTH_BURST=1/' .env
make reload
token=$(curl -s --interface 127.0.0.24 -c /tmp/jar10 -b /tmp/jar10 http://localhost:8080/login | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
seq 1 6 | xargs -I{} curl -s -o /dev/null -w '{}: %{http_code}\\n' --interface 127.0.0.24 -b /tmp/jar10 http://localhost:8080/login \\
  --data-urlencode "_csrf=$token" --data-urlencode "username=nobody" --data-urlencode "password=guess {}"
${USUAL}
make reload`,
    undo: REMOVE_USER,
  },
} satisfies ExerciseAnswers;

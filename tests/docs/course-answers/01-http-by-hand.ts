// Exercise 1: registering with curl, then opening the account page with the cookie jar.
import { inDbShell, type ExerciseAnswers } from './answers.js';

const BROWSER = "-A 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'";

/** Registers `name` with curl (extra curl options first), as step 3 does. */
const register = (name: string, options = '') => `
token=$(curl -s ${options} -c /tmp/jar1 -b /tmp/jar1 http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w '%{http_code}\\n' ${options} -c /tmp/jar1 -b /tmp/jar1 http://localhost:8080/register \\
  --data-urlencode "_csrf=$token" --data-urlencode "username=${name}" \\
  --data-urlencode "password=a long passphrase" --data-urlencode "password_confirm=a long passphrase"
`;

export default {
  readmeSays: { 3: [/HTTP\/1.1 303 See Other/, /location: \/account/i], 4: [/curl-ada/] },
  undoSolution: inDbShell("DELETE FROM users WHERE username = 'curl-ada';"),
  wrong: [
    {
      what: 'registered curl-web in the browser, never with curl',
      commands: `${register('curl-web', BROWSER)}\ncurl -s ${BROWSER} -b /tmp/jar1 http://localhost:8080/account >/dev/null`,
      undo: inDbShell("DELETE FROM users WHERE username = 'curl-web';"),
      expect: /no registration sent by curl that answered 303/,
    },
    {
      what: 'posted the form with the token but without the cookie jar (403)',
      commands: `
token=$(curl -s http://localhost:8080/register | sed -n 's/.*name="_csrf" value="\\([^"]*\\)".*/\\1/p' | head -n 1)
curl -s -o /dev/null -w '%{http_code}\\n' http://localhost:8080/register --data-urlencode "_csrf=$token" \\
  --data-urlencode "username=curl-nojar" --data-urlencode "password=a long passphrase" --data-urlencode "password_confirm=a long passphrase"`,
      expect: /answered 403: the CSRF token did not belong to the session in the cookie jar/,
    },
    {
      what: 'registered with curl, but as "ada", without the curl- prefix',
      commands: register('ada-by-curl'),
      undo: inDbShell("DELETE FROM users WHERE username = 'ada-by-curl';"),
      expect: /curl registered a user, but not one whose name starts with "curl-"/,
    },
    {
      what: 'registered with curl, but opened /account without the jar (302 to /login)',
      commands: `${register('curl-nojar-account')}\ncurl -s -i http://localhost:8080/account | head -n 1`,
      undo: inDbShell("DELETE FROM users WHERE username = 'curl-nojar-account';"),
      expect: /no \/account page sent to curl with 200/,
    },
  ],
  alternative: {
    what: 'the form saved to a file, the token cut out with grep and cut, the body typed out with -d',
    commands: `
curl -s -c /tmp/alt-jar -b /tmp/alt-jar -o /tmp/alt-form.html http://localhost:8080/register
token=$(grep -o 'name="_csrf" value="[^"]*"' /tmp/alt-form.html | head -n 1 | cut -d '"' -f 4)
curl -s -o /dev/null -w '%{http_code}\\n' -c /tmp/alt-jar -b /tmp/alt-jar http://localhost:8080/register \\
  -d "_csrf=$token&username=curl-grace-alt&password=another+long+passphrase&password_confirm=another+long+passphrase"
curl -s -b /tmp/alt-jar http://localhost:8080/account | grep curl-grace-alt`,
    undo: inDbShell("DELETE FROM users WHERE username = 'curl-grace-alt';"),
  },
} satisfies ExerciseAnswers;

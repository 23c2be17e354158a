// Exercise 14: HTTPS with the local CA, then HTTPS_ONLY=1 (redirect, HSTS, Secure cookies).
import type { ExerciseAnswers } from './answers.js';

// Both nginx and the app read HTTPS_ONLY again (the test puts .env back first).
const BACK_TO_BOTH = "sed -i 's/^HTTPS_ONLY=.*/HTTPS_ONLY=0/' .env\nmake restart";
const CURL_OVER_HTTPS = 'curl -s --cacert .stack/tls/ca.crt -H "X-Request-ID: lesson14-$(date +%H%M%S)" https://localhost:8443/healthz';

export default {
  undoSolution: BACK_TO_BOTH,
  wrong: [
    {
      what: 'the lesson14- request sent to the plain HTTP port',
      commands: 'curl -s -H "X-Request-ID: lesson14-$(date +%H%M%S)" http://localhost:8080/healthz',
      expect: /Your lesson14- requests arrived over plain HTTP/,
    },
    {
      what: 'HTTPS_ONLY=1 in .env, but only make reload: nginx redirects, the app still sets cookies without Secure',
      commands: `${CURL_OVER_HTTPS}\nsed -i 's/^HTTPS_ONLY=.*/HTTPS_ONLY=1/' .env\nmake reload`,
      undo: BACK_TO_BOTH,
      expect: /set stacklab\.sid(, [\w.]+)* without Secure: the app still runs with HTTPS_ONLY=0/,
    },
    {
      what: 'everything over HTTPS, but HTTPS_ONLY left at 0: plain HTTP still serves the site',
      commands: CURL_OVER_HTTPS,
      expect: /Over plain HTTP, \/login answered 200, not a redirect to https:\/\/localhost:\d+\/login\?from=check14/,
    },
  ],
  alternative: {
    what: 'curl told about the CA by CURL_CA_BUNDLE instead of --cacert, HTTPS_ONLY=1 given by make up after make down',
    commands:
      'CURL_CA_BUNDLE="$PWD/.stack/tls/ca.crt" curl -s -H "X-Request-ID: lesson14-alt$(date +%S)" https://localhost:8443/healthz\n' +
      "sed -i 's/^HTTPS_ONLY=.*/HTTPS_ONLY=1/' .env\nmake down\nmake up",
    undo: BACK_TO_BOTH,
  },
} satisfies ExerciseAnswers;

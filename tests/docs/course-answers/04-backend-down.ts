// Exercise 4: the app stopped, nginx's 502 seen, the app brought back.
import type { ExerciseAnswers } from './answers.js';

export default {
  readmeSays: { 2: [/app +stopped/], 3: [/502 Bad Gateway/], 4: [/while connecting to upstream/, /"event":"stopped"/], 5: [/HTTP\/1.1 200 OK/, /"db":"ok"/] },
  undoSolution: 'true',
  wrong: [
    {
      what: 'everything stopped with make down: nobody is left to answer, so there is no 502',
      commands: `make down\ncurl -s -i http://localhost:8080/ || echo 'curl: no answer'\nmake up`,
      expect: /no request answered 502 or 504 after trying the app/,
    },
    {
      what: 'the app stopped, but only a static file asked for (nginx serves it without the app)',
      commands: `make stop SERVICE=app\ncurl -s -o /dev/null -w '%{http_code}\\n' http://localhost:8080/static/css/site.css\nmake up`,
      expect: /no request answered 502 or 504 after trying the app/,
    },
    {
      what: 'the 502 seen, but the app never started again',
      commands: `make stop SERVICE=app\ncurl -s -o /dev/null -w '%{http_code}\\n' http://localhost:8080/`,
      undo: 'make up',
      expect: /\/healthz answered 502: nginx still cannot reach the app/,
    },
  ],
  alternative: {
    what: 'the account page asked for while the app is stopped, then make restart SERVICE=app instead of make up',
    commands: `make stop SERVICE=app\ncurl -s -o /dev/null -w '%{http_code}\\n' http://localhost:8080/account\nmake restart SERVICE=app`,
  },
} satisfies ExerciseAnswers;

// Exercise 2: a static file of one's own, served by nginx alone, fetched with curl.
import type { ExerciseAnswers } from './answers.js';

export default {
  readmeSays: { 1: [/x-app-instance/i], 2: [/404 Not Found[\s\S]*404 Not Found[\s\S]*204 No Content/], 3: [/HTTP\/1.1 200 OK/], 5: [/The app never saw \/static\/hello.txt./] },
  solutionAtStep: 3,
  wrong: [
    {
      what: 'the file put in app/public/static/, as if /static/ were a folder of app/public',
      commands: `mkdir -p app/public/static\necho 'Hello from nginx!' > app/public/static/hello.txt\ncurl -s -o /dev/null -w '%{http_code}\\n' http://localhost:8080/static/hello.txt`,
      expect: /your file is app\/public\/static\/hello.txt, not app\/public\/hello.txt/,
    },
    {
      what: 'an empty file',
      commands: `touch app/public/hello.txt\ncurl -s -i http://localhost:8080/static/hello.txt | head -n 1`,
      expect: /\/static\/hello.txt is empty/,
    },
    {
      what: 'the file created, but only looked at in the browser, never fetched with curl',
      commands: `echo 'Hello from nginx!' > app/public/hello.txt\ncurl -s -o /dev/null -A 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' http://localhost:8080/static/hello.txt`,
      expect: /no request for \/static\/hello.txt sent by curl/,
    },
  ],
  alternative: {
    what: 'the file written with echo, fetched with curl -s (no headers shown)',
    commands: `echo 'Only nginx answers this.' > app/public/hello.txt\ncurl -s http://localhost:8080/static/hello.txt`,
  },
} satisfies ExerciseAnswers;

// Exercise 3: a header of one's own in nginx's response-headers snippet, tested and reloaded.
import type { ExerciseAnswers } from './answers.js';

const SNIPPET = 'nginx/snippets/response-headers.conf';
const ADD_LINE = `printf '\\nadd_header X-Learning "stacklab" always;\\n' >> ${SNIPPET}`;

export default {
  solutionAtStep: 2,
  wrong: [
    {
      what: 'step 4 left half done: the ; removed again and make reload refused, so the file on disk is broken',
      commands: `${ADD_LINE}\nmake reload\nsed -i 's/add_header X-Learning "stacklab" always;/add_header X-Learning "stacklab" always/' ${SNIPPET}\nmake reload || true`,
      expect: /differs from the copy nginx loaded: you changed it after the last make reload, or make reload refused it/,
    },
    {
      what: 'the header without "always": error pages do not get it',
      commands: `printf '\\nadd_header X-Learning "stacklab";\\n' >> ${SNIPPET}\nmake reload`,
      expect: /\/no-such-page \(status 404\) has no X-Learning header/,
    },
    {
      what: 'the line added, but nginx never reloaded',
      commands: ADD_LINE,
      expect: /no add_header X-Learning line in the loaded configuration/,
    },
    {
      what: "the header added to the site's location / only, not to the snippet every location includes",
      commands: `sed -i 's|^    location / {$|    location / {\\n        add_header X-Learning "stacklab" always;|' nginx/templates/stacklab.conf.template\nmake reload`,
      expect: /\/static\/css\/site.css \(status 200\) has no X-Learning header/,
    },
  ],
  alternative: {
    what: 'the value without quotes, and a comment of its own',
    commands: `printf '\\n# mine\\nadd_header X-Learning stacklab always;\\n' >> ${SNIPPET}\nmake reload`,
  },
} satisfies ExerciseAnswers;

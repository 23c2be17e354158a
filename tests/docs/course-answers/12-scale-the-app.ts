// Exercise 12: a second app instance behind nginx, a session that holds on both.
import type { ExerciseAnswers } from './answers.js';

// make restart SERVICE=app stops every instance and starts as many as .env says (one); reload gives
// nginx that list.
const BACK_TO_ONE = 'make restart SERVICE=app\nmake reload';

export default {
  undoSolution: BACK_TO_ONE,
  wrong: [
    {
      what: 'APP_REPLICAS=2 written into .env, but the stack not started again',
      commands: "sed -i 's/^APP_REPLICAS=.*/APP_REPLICAS=2/' .env",
      expect: /12 requests were all answered by native-/,
    },
    {
      what: 'a second app started with make restart, which leaves nginx sending everything to the first',
      commands: 'make restart SERVICE=app APP_REPLICAS=2',
      undo: BACK_TO_ONE,
      expect: /12 requests were all answered by native-/,
    },
  ],
  alternative: {
    what: 'three instances instead of two',
    commands: 'APP_REPLICAS=3 make up\nmake ps',
    undo: BACK_TO_ONE,
  },
} satisfies ExerciseAnswers;

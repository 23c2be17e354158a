// Lab bad-setting: the app starts again, and members are signed out after 30 minutes without
// activity, as the team asked: SESSION_IDLE_TIMEOUT_S counts seconds.
import { defineChecks } from '../../../tools/course/check-kit.js';

export default defineChecks([
  {
    name: 'SESSION_IDLE_TIMEOUT_S in .env means 30 minutes',
    async run(c) {
      const line = /^SESSION_IDLE_TIMEOUT_S=(.*)$/m.exec(c.readProjectFile('.env'));
      // Without the line the app uses its default, 1800 seconds: 30 minutes too.
      const value = line ? line[1]!.trim() : '1800';
      if (value === '1800' || value === '') return;
      if (/^\d+$/.test(value)) {
        c.notYet(`SESSION_IDLE_TIMEOUT_S=${value} signs members out after ${value} seconds; the team asked for 30 minutes.`, 'The setting counts seconds (.env.example says so). How many seconds are 30 minutes?');
      }
      c.notYet(`SESSION_IDLE_TIMEOUT_S=${value} is not a whole number of seconds: the app refuses to start with it.`, 'make doctor names the setting; .env.example says what it takes.');
    },
  },
  {
    name: 'the app answers again with the setting in effect',
    async run(c) {
      const health = await c.client().get('/healthz');
      if (health.status !== 200) c.notYet(`/healthz answered ${health.status}.`, 'Restart the app so it reads .env again: make restart SERVICE=app.');
    },
  },
]);

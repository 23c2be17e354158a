// Exercise 11: one request with an id of one's own and a spoofed X-Forwarded-For, found in both logs.
import type { ExerciseAnswers } from './answers.js';

export default {
  readmeSays: { 1: [/"requestId":"lesson11-\d{6}"/], 2: [/"xff_received":"6.6.6.6"/], 3: [/"requestId":"lesson11-/] },
  undoSolution: 'true',
  wrong: [
    {
      what: 'an id with spaces in it, which nginx replaces with one of its own',
      commands: `curl -s -o /dev/null http://localhost:8080/debug/request -H 'Accept: application/json' -H 'X-Request-ID: lesson11 by me' -H 'X-Forwarded-For: 6.6.6.6'`,
      expect: /no request whose id starts with lesson11-/,
    },
    {
      what: 'the request sent for a static file, which never reaches the app',
      commands: `curl -s -o /dev/null http://localhost:8080/static/css/site.css -H "X-Request-ID: lesson11-static-$(date +%H%M%S)" -H 'X-Forwarded-For: 6.6.6.6'`,
      expect: /The app's log has no request line with the id lesson11-static-/,
    },
    {
      what: 'the id sent, but not the spoofed X-Forwarded-For',
      commands: `curl -s -o /dev/null http://localhost:8080/debug/request -H "X-Request-ID: lesson11-$(date +%H%M%S)"`,
      expect: /none arrived with X-Forwarded-For: 6.6.6.6/,
    },
  ],
  alternative: {
    what: 'an id with a dot, two spoofed addresses, to /healthz',
    commands: `curl -s http://localhost:8080/healthz -H 'X-Request-ID: lesson11-mine.1' -H 'X-Forwarded-For: 6.6.6.6, 7.7.7.7'`,
  },
} satisfies ExerciseAnswers;

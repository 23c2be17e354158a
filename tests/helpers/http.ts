// The tests use the same small HTTP client as the exercise checks.
export * from '../../tools/lib/http-client.js';

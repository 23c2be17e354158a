// Property-based testing (fast-check) for the tests: random inputs, shrunk to the smallest failing one.
export { default as fc } from 'fast-check';

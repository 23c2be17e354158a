// The tests' throwaway stack (runners/native/throwaway-stack.ts), described for the test files.
import type { NativeStack } from '../runners/native/native-stack.js';
import { createThrowawayStack, openThrowawayStack, removeThrowawayStack } from '../runners/native/throwaway-stack.js';

/**
 * What the test driver hands to the test files (as JSON in STACK_TEST_INFO). `mode` is how the stack
 * runs: dev, as `make up` starts it, or prod, as `make up MODE=prod` does (NODE_ENV=production).
 */
export type TestStackInfo = { stateDir: string; envFile: string; env: Record<string, string>; mode: 'dev' | 'prod' };

export async function createTestStack(overrides: Record<string, string> = {}): Promise<{ stack: NativeStack; info: TestStackInfo }> {
  const { stack, stateDir, envFile, env } = await createThrowawayStack('stacklab-test-', {
    // Lower than the default 12 so tests run fast; still the floor tests/stack/security.test.ts checks (10).
    BCRYPT_COST: '10',
    ...overrides,
  });
  return { stack, info: { stateDir, envFile, env, mode: 'dev' } };
}

export function openTestStack(info: TestStackInfo): NativeStack {
  return openThrowawayStack(info.stateDir, info.env, info.mode);
}

export function removeTestStack(info: TestStackInfo): void {
  removeThrowawayStack(info.stateDir);
}

/** The stack the driver started; test files call this at the top. */
export function currentTestStack(): { stack: NativeStack; info: TestStackInfo; url: string } {
  const raw = process.env.STACK_TEST_INFO;
  if (!raw) throw new Error('Run the tests with `make test`: it starts the throwaway stack they need.');
  const info = JSON.parse(raw) as TestStackInfo;
  const stack = openTestStack(info);
  return { stack, info, url: `http://127.0.0.1:${stack.settings.ports.http}` };
}

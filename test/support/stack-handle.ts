// Holds the stack between jest's global setup and teardown (same process, separate modules).
import type { Stack } from '../../src/sandbox/stack';

const KEY = Symbol.for('canary-promoter.test-stack');
type Holder = { [KEY]?: Stack };

export function setStack(stack: Stack): void {
  (globalThis as Holder)[KEY] = stack;
}

export function takeStack(): Stack | undefined {
  const stack = (globalThis as Holder)[KEY];
  delete (globalThis as Holder)[KEY];
  return stack;
}

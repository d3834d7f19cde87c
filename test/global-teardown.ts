import { takeStack } from './support/stack-handle';

export default async function globalTeardown(): Promise<void> {
  await takeStack()?.stop();
}

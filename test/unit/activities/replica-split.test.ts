import { replicaSplit } from '../../../src/activities/routing/replicas';

test.each([
  // capacity, weight, canary, stable
  [3, 0, 0, 3],
  [3, 10, 1, 2],
  [3, 34, 1, 2],
  [3, 67, 2, 1],
  [3, 100, 3, 0],
  [10, 25, 3, 7],
  [10, 50, 5, 5],
  [1, 10, 1, 0],
])('capacity %i at %i%% → canary %i, stable %i', (capacity, weight, canary, stable) => {
  expect(replicaSplit(capacity, weight)).toEqual({ canary, stable });
});

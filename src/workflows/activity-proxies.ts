// Activity stubs with the timeouts and retry budgets each kind of call needs.
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { PromotionActivities } from '../activities';
import { nonRetryableFailureTypes } from './failures';

/** Short API calls: reads and idempotent writes. */
export const kubeActivities = proxyActivities<PromotionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '20s', maximumAttempts: 5, nonRetryableErrorTypes: nonRetryableFailureTypes },
});

/**
 * Long waits that heartbeat (rollouts). A killed worker's attempt is noticed within the heartbeat
 * timeout and retried elsewhere; cancellation waits for the activity to stop touching things.
 */
export const waitingActivities = proxyActivities<PromotionActivities>({
  startToCloseTimeout: '6 hours',
  heartbeatTimeout: '10s',
  cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', nonRetryableErrorTypes: nonRetryableFailureTypes },
});

/**
 * Undo calls during compensation: retried with backoff far longer than normal calls, because
 * giving up means a human must act. Past this budget the outcome is `rollback-failed`.
 */
export const undoActivities = proxyActivities<PromotionActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 8, nonRetryableErrorTypes: [] },
});

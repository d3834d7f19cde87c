// Notifications on start, each step, rollback and outcome. A webhook that fails is retried a few
// times and then given up: a notification can never fail or stall a promotion.
import { CancellationScope, log, proxyActivities } from '@temporalio/workflow';
import type { PromotionActivities } from '../activities';
import type { PromotionSpec } from '../spec/types';

const notifying = proxyActivities<PromotionActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
});

export async function notify(spec: PromotionSpec, text: string): Promise<void> {
  if (!spec.notify) return;
  const webhook = spec.notify.webhook;
  // Non-cancellable: the rollback and outcome messages must go out even after a cancellation.
  await CancellationScope.nonCancellable(() => notifying.notify.executeWithOptions(
    { startToCloseTimeout: '10 seconds', retry: { initialInterval: '1s', maximumAttempts: 3 }, summary: `notify ${webhook}` },
    [{ webhook, text: `[${spec.target.namespace}/${spec.target.stable}] ${text}` }],
  )).then((r) => {
    if (r === 'not-configured') log.warn(`webhook ${webhook} is not configured on this worker (PROMOTER_WEBHOOK_${webhook.toUpperCase().replace(/-/g, '_')})`);
  }, (err: Error) => log.warn(`notification to ${webhook} failed, promotion goes on: ${err.message}`));
}

// Slack-compatible webhook notifications ({"text": ...}). The URL is looked up on the worker by
// the name the spec gives, so tokens never reach a spec or the workflow history.
import { ApplicationFailure } from '@temporalio/common';

/** PROMOTER_WEBHOOK_<NAME>=url; the name in the spec is lowercase with dashes. */
export function webhooksFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const m = /^PROMOTER_WEBHOOK_([A-Z0-9_]+)$/.exec(key);
    if (m && value) out[m[1]!.toLowerCase().replace(/_/g, '-')] = value;
  }
  return out;
}

export async function postWebhook(webhooks: Record<string, string>, input: { webhook: string; text: string }): Promise<'sent' | 'not-configured'> {
  const url = webhooks[input.webhook];
  if (!url) return 'not-configured';
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: input.text }),
      signal: AbortSignal.timeout(5000),
    });
  } catch (err) {
    // The message says which webhook, never its URL (it carries a token).
    throw ApplicationFailure.retryable(`webhook ${input.webhook} cannot be reached: ${(err as Error).name}`, 'WebhookFailed');
  }
  if (!res.ok) throw ApplicationFailure.retryable(`webhook ${input.webhook} answered HTTP ${res.status}`, 'WebhookFailed');
  return 'sent';
}

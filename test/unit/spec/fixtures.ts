// The spec from the design brief, used as the valid starting point that tests mutate.
import { parse } from 'yaml';
import { normalizePromotionDocument, type SpecResult } from '../../../src/spec/parse';
import type { SpecError } from '../../../src/spec/errors';

export const EXAMPLE_YAML = `
apiVersion: canary-promoter/v1
kind: Promotion
target: { namespace: demo, stable: zai-proxy, canary: zai-proxy-canary, container: proxy, service: zai-proxy, ingress: zai-proxy-canary }
image: registry.local/zai-proxy:1.2.1
strategy:
  canary:
    router: { replicas: {} }
    steps:
      - setWeight: 10
      - bake: 5m
      - bake: { manual: true, deadline: 1h, onTimeout: rollback }
      - analysis: { checks: [error-rate, p95] }
      - setImage: { deployment: stable }
      - scale: { deployment: canary, replicas: 0 }
analysis:
  defaults: { interval: 30s, noData: inconclusive }
  checks:
    - name: error-rate
      prometheus: { query: 'sum(rate(zai_proxy_requests_total{variant="{{variant}}",status=~"5.."}[1m])) / sum(rate(zai_proxy_requests_total{variant="{{variant}}"}[1m]))' }
      condition: { below: 0.05 }
      for: 2m
      failureLimit: 0
    - name: p95
      prometheus: { query: 'histogram_quantile(0.95, sum(rate(zai_proxy_request_duration_seconds_bucket{variant="{{variant}}"}[5m])) by (le))' }
      condition: { relativeToStable: { maxRatio: 1.5, slack: 0.01 } }
    - name: canary-ready
      kubernetes: { deployment: canary, measure: notReadyRatio }
      condition: { atMost: 0.5 }
    - name: no-canary-alerts
      alerts: { names: [ZaiProxyCanaryHighErrorRate], labels: { namespace: demo } }
    - name: health
      http: { url: 'http://zai-proxy-canary.demo.svc:8080/health', status: 200, json: { status: ok } }
  preflight: [canary-ready, health]
  background: [error-rate, canary-ready]
deadlines: { promotion: 1h, progress: 10m }
postPromotion: { watch: 1h, checks: [error-rate] }
notify: { webhook: deploys }
`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests reach into the raw document freely
export type RawDoc = any;

/** A fresh copy of the example as a plain object. */
export function exampleDoc(): RawDoc {
  return parse(EXAMPLE_YAML);
}

/** The example with `mutate` applied, parsed and normalized. */
export function parseMutated(mutate: (doc: RawDoc) => void): SpecResult {
  const doc = exampleDoc();
  mutate(doc);
  return normalizePromotionDocument(doc);
}

export function errorsOf(result: SpecResult): SpecError[] {
  if (result.ok) throw new Error('expected the spec to be invalid, but it parsed');
  return result.errors;
}

// Promotion specs for tests, written as users write them (YAML through the real parser).
import { parsePromotionSpec } from '../../src/spec/parse';
import type { PromotionSpec } from '../../src/spec/types';
import type { DemoApp } from '../../src/sandbox/demo-app';

export function specFromYaml(yaml: string, overrides: { image?: string; set?: Record<string, string> } = {}): PromotionSpec {
  const parsed = parsePromotionSpec(yaml, overrides);
  if (!parsed.ok) throw new Error(`test spec invalid: ${JSON.stringify(parsed.errors)}`);
  return parsed.spec;
}

export function targetYaml(app: DemoApp, extra = ''): string {
  return `target:
  namespace: ${app.namespace}
  stable: ${app.stable}
  canary: ${app.canary}
  container: ${app.container}
  service: ${app.service}
${extra}`;
}

/** A rolling promotion (seed 000): set the stable image, watch the rollout, optional bake. */
export function rollingSpec(app: DemoApp, opts: { image: string; progress?: string; bake?: string }): PromotionSpec {
  return specFromYaml(`apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}image: ${opts.image}
strategy:
  rolling:
    productionImage: ${opts.image}
    steps:${opts.bake ? `\n      - bake: ${opts.bake}` : ' []'}
deadlines:
  promotion: 10m
  progress: ${opts.progress ?? '2m'}
`);
}

/** A canary (replicas router) with a background NotReady check; `steps` as YAML list items. */
export function canaryYaml(app: DemoApp, steps: string[]): string {
  return `apiVersion: canary-promoter/v1
kind: Promotion
${targetYaml(app)}strategy:
  canary:
    router: { replicas: {} }
    steps:
${steps.map((s) => `      - ${s}`).join('\n')}
analysis:
  defaults: { interval: 1s }
  checks:
    - name: canary-not-ready
      kubernetes: { deployment: canary, measure: notReadyRatio }
      condition: { atMost: 0.5 }
  background: [canary-not-ready]
deadlines: { promotion: 30m, progress: 1m }
`;
}

// Every example in examples/ is a valid spec, and the seed examples carry the runbooks' rules.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parsePromotionSpec } from '../../../src/spec/parse';
import type { PromotionSpec } from '../../../src/spec/types';

const dir = path.join(__dirname, '..', '..', '..', 'examples');
const load = (file: string): PromotionSpec => {
  const parsed = parsePromotionSpec(fs.readFileSync(path.join(dir, file), 'utf8'), { image: 'registry.local/zai-proxy:1.2.1-canary' });
  if (!parsed.ok) throw new Error(`${file}: ${JSON.stringify(parsed.errors)}`);
  return parsed.spec;
};

test.each(fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')))('%s is a valid promotion spec', (file) => {
  expect(() => load(file)).not.toThrow();
});

test('instant-api (seed 003) is 10% / bake 5m / analysis / 50% / bake 5m / analysis / 100% / bake 2m', () => {
  const spec = load('instant-api-canary.yaml');
  expect(spec.strategy.steps.map((s) => s.kind === 'setWeight' ? `w${s.weight}` : s.kind === 'bake' ? `b${s.duration / 60000}m` : s.kind))
    .toEqual(['w10', 'b5m', 'analysis', 'w50', 'b5m', 'analysis', 'w100', 'b2m']);
  expect(spec.checks.map((c) => c.name)).toEqual(['http-5xx-rate', 'api-up', 'auth-probe-failures', 'deploy-job-failures']);
});

test('zai-proxy canary (seed 000) carries every rollback trigger of the checklist', () => {
  const spec = load('zai-proxy-canary.yaml');
  const byName = new Map(spec.checks.map((c) => [c.name, c]));
  expect(byName.get('error-rate-trigger')).toMatchObject({ condition: { kind: 'threshold', op: '<=', value: 0.1 }, for: 120_000 });
  expect(byName.get('p95-trigger')).toMatchObject({ condition: { kind: 'relativeToStable', maxRatio: 2 }, for: 120_000 });
  expect(byName.get('canary-not-ready')).toMatchObject({ source: { kind: 'kubernetes', measure: 'notReadyRatio' }, condition: { value: 0.5 } });
  expect(byName.get('canary-crash-looping')?.source).toMatchObject({ kind: 'kubernetes', measure: 'crashLoopBackOff' });
  expect(byName.get('tokens-counted')).toMatchObject({ noData: 'fail' });
  expect(spec.background).toEqual(expect.arrayContaining(['error-rate-trigger', 'p95-trigger', 'canary-not-ready', 'canary-crash-looping', 'tokens-counted']));
  expect(spec.postPromotion?.watch).toBe(3_600_000);
});

test('zai-proxy rolling (seed 000) derives 1.2.1 from 1.2.1-canary and scales the canary to 0', () => {
  const spec = load('zai-proxy-rolling.yaml');
  expect(spec.strategy).toMatchObject({ kind: 'rolling', productionImage: 'registry.local/zai-proxy:1.2.1', scaleCanaryToZero: true });
});

test('zai-proxy blue-green (seed 001) switches the version selector and keeps v1 for a while', () => {
  const spec = load('zai-proxy-blue-green.yaml');
  expect(spec.strategy).toMatchObject({ kind: 'blueGreen', router: { kind: 'serviceSelector', service: 'zai-proxy', label: 'version' }, scaleDownDelay: 600_000 });
});

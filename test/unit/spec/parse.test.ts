import { formatSpecErrors, normalizePromotionDocument, parsePromotionSpec, toYaml, type SpecResult } from '../../../src/spec/parse';
import type { CheckSpec, PromotionSpec } from '../../../src/spec/types';
import { EXAMPLE_YAML, errorsOf, exampleDoc } from './fixtures';

function specOf(result: SpecResult): PromotionSpec {
  if (!result.ok) throw new Error(formatSpecErrors(result.errors));
  return result.spec;
}

const DEFAULT_SETTINGS = {
  noData: 'inconclusive', interval: 30_000, initialDelay: 0, count: 1, failureLimit: 0, inconclusiveLimit: 1,
  onInconclusiveLimit: 'fail', consecutiveErrorLimit: 4, for: 0, dryRun: false,
} as const;

const MINIMAL = `
apiVersion: canary-promoter/v1
kind: Promotion
target: { namespace: demo, stable: app, canary: app-canary }
image: registry.local/app:1.0.0
strategy: { canary: { steps: [ { setWeight: 50 } ] } }
`;

describe('parsePromotionSpec', () => {
  test('the example normalizes to tagged unions with durations in ms', () => {
    const spec = specOf(parsePromotionSpec(EXAMPLE_YAML));
    expect(spec.target).toEqual({ namespace: 'demo', stable: 'zai-proxy', canary: 'zai-proxy-canary', container: 'proxy', service: 'zai-proxy', ingress: 'zai-proxy-canary' });
    expect(spec.image).toBe('registry.local/zai-proxy:1.2.1');
    expect(spec.strategy).toEqual({
      kind: 'canary',
      router: { kind: 'replicas' },
      steps: [
        { kind: 'setWeight', weight: 10 },
        { kind: 'bake', duration: 300_000 },
        { kind: 'manualBake', deadline: 3_600_000, onTimeout: 'rollback' },
        { kind: 'analysis', checks: ['error-rate', 'p95'] },
        { kind: 'setImage', deployment: 'stable' },
        { kind: 'scale', deployment: 'canary', replicas: 0 },
      ],
    });
    const byName = Object.fromEntries(spec.checks.map((c) => [c.name, c]));
    expect(byName['error-rate']).toEqual<CheckSpec>({
      name: 'error-rate',
      source: { kind: 'prometheus', query: expect.stringContaining('variant="{{variant}}",status=~"5.."') },
      condition: { kind: 'threshold', op: '<', value: 0.05 },
      ...DEFAULT_SETTINGS,
      for: 120_000,
    });
    expect(byName['p95']?.condition).toEqual({ kind: 'relativeToStable', maxRatio: 1.5, slack: 0.01 });
    expect(byName['canary-ready']?.source).toEqual({ kind: 'kubernetes', deployment: 'canary', measure: 'notReadyRatio' });
    expect(byName['canary-ready']?.condition).toEqual({ kind: 'threshold', op: '<=', value: 0.5 });
    expect(byName['no-canary-alerts']).toEqual({ name: 'no-canary-alerts', source: { kind: 'alerts', names: ['ZaiProxyCanaryHighErrorRate'], labels: { namespace: 'demo' } }, ...DEFAULT_SETTINGS });
    expect(byName['health']?.source).toEqual({ kind: 'http', url: 'http://zai-proxy-canary.demo.svc:8080/health', expectStatus: 200, expectJson: { status: 'ok' } });
    expect(spec.preflight).toEqual(['canary-ready', 'health']);
    expect(spec.background).toEqual(['error-rate', 'canary-ready']);
    expect(spec.deadlines).toEqual({ promotion: 3_600_000, progress: 600_000 });
    expect(spec.postPromotion).toEqual({ watch: 3_600_000, checks: ['error-rate'] });
    expect(spec.notify).toEqual({ webhook: 'deploys' });
  });

  test('a minimal spec gets every default', () => {
    expect(specOf(parsePromotionSpec(MINIMAL))).toEqual({
      target: { namespace: 'demo', stable: 'app', canary: 'app-canary' },
      image: 'registry.local/app:1.0.0',
      strategy: { kind: 'canary', router: { kind: 'replicas' }, steps: [{ kind: 'setWeight', weight: 50 }] },
      checks: [],
      preflight: [],
      background: [],
      deadlines: { promotion: 7_200_000, progress: 600_000 },
      variants: { canary: 'canary', stable: 'stable' },
    });
  });

  test('check settings: the check wins over analysis.defaults, which wins over the built-in defaults', () => {
    const doc = exampleDoc();
    doc.analysis.defaults = { interval: '1m', failureLimit: 2, dryRun: true };
    doc.analysis.checks[0].failureLimit = 1;
    const spec = specOf(normalizePromotionDocument(doc));
    expect(spec.checks[0]).toMatchObject({ interval: 60_000, failureLimit: 1, dryRun: true, inconclusiveLimit: 1, for: 120_000 });
    expect(spec.checks[1]).toMatchObject({ interval: 60_000, failureLimit: 2, dryRun: true, consecutiveErrorLimit: 4 });
  });

  test('`bake: manual` waits an hour, then rolls back', () => {
    const spec = specOf(parsePromotionSpec(MINIMAL.replace('{ setWeight: 50 }', '{ setWeight: 50 }, { bake: manual }')));
    expect(spec.strategy.steps[1]).toEqual({ kind: 'manualBake', deadline: 3_600_000, onTimeout: 'rollback' });
  });

  test('mannWhitney and relative conditions get their defaults', () => {
    const doc = exampleDoc();
    doc.analysis.checks[1].condition = { mannWhitney: {} };
    doc.analysis.checks[1].prometheus.range = { window: '10m', step: '30s' };
    doc.analysis.checks[0].condition = { relativeToBaseline: { maxRatio: 2 } };
    const spec = specOf(normalizePromotionDocument(doc));
    expect(spec.checks[1]?.condition).toEqual({ kind: 'mannWhitney', alpha: 0.05, minSamples: 20, higherIsWorse: true });
    expect(spec.checks[1]?.source).toEqual({ kind: 'prometheus', query: expect.any(String), range: { window: 600_000, step: 30_000 } });
    expect(spec.checks[0]?.condition).toEqual({ kind: 'relativeToBaseline', maxRatio: 2, slack: 0 });
  });

  test.each([
    ['below', '<'], ['atMost', '<='], ['above', '>'], ['atLeast', '>='], ['equals', '=='], ['notEquals', '!='],
  ])('threshold %s is op %s', (key, op) => {
    const doc = exampleDoc();
    doc.analysis.checks[0].condition = { [key]: 3 };
    expect(specOf(normalizePromotionDocument(doc)).checks[0]?.condition).toEqual({ kind: 'threshold', op, value: 3 });
  });
});

describe('text-level errors', () => {
  test.each([
    ['a YAML syntax error', 'apiVersion: [unclosed', /^not valid YAML: /],
    ['duplicate keys', 'kind: Promotion\nkind: Promotion', /^not valid YAML: Map keys must be unique/],
    ['an empty file', '', /^the document is empty; expected a Promotion/],
    ['a list instead of a mapping', '- a\n- b', /^must be a mapping; got a list$/],
  ])('%s', (_name, text, message) => {
    expect(errorsOf(parsePromotionSpec(text))).toContainEqual(expect.objectContaining({ path: '', message: expect.stringMatching(message) }));
  });

  test('errors carry the line of the offending field, or of the unknown key', () => {
    const text = EXAMPLE_YAML.replace('- bake: 5m', '- bake: 5x').replace('container: proxy', 'container: proxy, deployment: x');
    const errors = errorsOf(parsePromotionSpec(text));
    const lineOf = (needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    expect(errors).toContainEqual(expect.objectContaining({ path: 'strategy.canary.steps[1].bake', line: lineOf('bake: 5x') }));
    expect(errors).toContainEqual(expect.objectContaining({ path: 'target.deployment', line: lineOf('deployment: x') }));
  });

  test('a missing field points at its parent’s line', () => {
    const text = MINIMAL.replace('stable: app, ', '');
    expect(errorsOf(parsePromotionSpec(text))).toContainEqual({ path: 'target.stable', message: 'is required (a string)', line: 4 });
  });
});

describe('overrides', () => {
  test('--image supplies the image the file leaves out, and wins over the file', () => {
    const withoutImage = MINIMAL.replace('image: registry.local/app:1.0.0\n', '');
    expect(errorsOf(parsePromotionSpec(withoutImage))).toEqual([{ path: 'image', message: 'is required: set `image:` in the spec or pass --image' }]);
    expect(specOf(parsePromotionSpec(withoutImage, { image: 'r/app:2.0.0-canary' })).image).toBe('r/app:2.0.0-canary');
    expect(specOf(parsePromotionSpec(MINIMAL, { image: 'r/app:3' })).image).toBe('r/app:3');
    expect(specOf(parsePromotionSpec(MINIMAL, { image: 'r/app:3', set: { image: 'r/app:4' } })).image).toBe('r/app:3');
  });

  test('--set values are read as YAML and land at dotted or indexed paths', () => {
    const spec = specOf(
      parsePromotionSpec(EXAMPLE_YAML, {
        set: {
          'strategy.canary.steps[1].bake': '10m',
          'strategy.canary.steps.0.setWeight': '20',
          'analysis.checks[0].condition': '{ below: 0.01 }',
          'analysis.checks[0].dryRun': 'true',
          'deadlines.promotion': '3h',
          'analysis.variants': '{ canary: test, stable: production }',
        },
      }),
    );
    expect(spec.strategy.steps.slice(0, 2)).toEqual([{ kind: 'setWeight', weight: 20 }, { kind: 'bake', duration: 600_000 }]);
    expect(spec.checks[0]).toMatchObject({ condition: { kind: 'threshold', op: '<', value: 0.01 }, dryRun: true });
    expect(spec.deadlines.promotion).toBe(10_800_000);
    expect(spec.variants).toEqual({ canary: 'test', stable: 'production' });
  });

  test('--set can append a step and create missing mappings', () => {
    const spec = specOf(parsePromotionSpec(MINIMAL, { set: { 'strategy.canary.steps[1]': '{ bake: 1m }', 'notify.webhook': 'ci' } }));
    expect(spec.strategy.steps).toEqual([{ kind: 'setWeight', weight: 50 }, { kind: 'bake', duration: 60_000 }]);
    expect(spec.notify).toEqual({ webhook: 'ci' });
  });

  test.each([
    ['a field of a scalar', 'strategy.canary.steps[0].setWeight.value', '1', 'strategy.canary.steps[0].setWeight.value', /^--set: strategy.canary.steps\[0\].setWeight is a number, so it has no field "value"$/],
    ['an index past the end', 'strategy.canary.steps[5]', '{ bake: 1m }', 'strategy.canary.steps[5]', /^--set: strategy.canary.steps has 1 items; the index can be at most 1 \(to append\)$/],
    ['a key on a list', 'strategy.canary.steps.first', '1', 'strategy.canary.steps.first', /^--set: strategy.canary.steps is a list; use an index/],
    ['an unreadable path', 'a..b', '1', 'a..b', /^--set: cannot read path "a..b"/],
    ['invalid YAML', 'image', '[unclosed', 'image', /^--set: the value is not valid YAML/],
    ['the prototype', '__proto__.polluted', '1', '__proto__.polluted', /cannot be set/],
  ])('--set refuses %s', (_name, path, value, errorPath, message) => {
    expect(errorsOf(parsePromotionSpec(MINIMAL, { set: { [path]: value } }))).toEqual([{ path: errorPath, message: expect.stringMatching(message) }]);
  });

  test('an overridden value is validated like the file, without a misleading line', () => {
    const errors = errorsOf(parsePromotionSpec(MINIMAL, { set: { 'strategy.canary.steps[0].setWeight': '150' } }));
    expect(errors).toEqual([{ path: 'strategy.canary.steps[0].setWeight', message: 'must be at most 100; got 150' }]);
  });

  test('overrides never change the document passed in', () => {
    const doc = exampleDoc();
    const before = JSON.stringify(doc);
    specOf(normalizePromotionDocument(doc, { image: 'r/x:9', set: { 'strategy.canary.steps[1].bake': '1m' } }));
    expect(JSON.stringify(doc)).toBe(before);
  });
});

describe('toYaml', () => {
  const variants: [string, (doc: ReturnType<typeof exampleDoc>) => void][] = [
    ['the example', () => undefined],
    ['blueGreen', (d) => (d.strategy = { blueGreen: { scaleDownDelay: '1m', steps: [{ setWeight: 100 }, { bake: { manual: true, deadline: '30m', onTimeout: 'promote' } }] } })],
    ['rolling', (d) => (d.image = 'r/x:1.2.1-rc.1') && (d.strategy = { rolling: { scaleCanaryToZero: true, steps: [{ setImage: { deployment: 'stable', image: 'r/x:1.2.1' } }] } })],
    ['nginx and mannWhitney', (d) => {
      d.strategy.canary.router = { nginx: null };
      d.analysis.checks[1].condition = { mannWhitney: { alpha: 0.01, minSamples: 10, higherIsWorse: false } };
      d.analysis.checks[1].prometheus.range = { window: '5m', step: '15s' };
    }],
  ];

  test.each(variants)('%s round-trips through toYaml', (_name, mutate) => {
    const doc = exampleDoc();
    mutate(doc);
    const spec = specOf(normalizePromotionDocument(doc));
    expect(specOf(parsePromotionSpec(toYaml(spec)))).toEqual(spec);
  });

  test('defaults are visible and durations formatted', () => {
    const text = toYaml(specOf(parsePromotionSpec(MINIMAL)));
    for (const line of ['replicas: {}', 'promotion: 2h', 'progress: 10m', 'canary: canary']) expect(text).toContain(line);
    const withCheck = toYaml(specOf(parsePromotionSpec(EXAMPLE_YAML)));
    for (const line of ['interval: 30s', 'for: 2m', 'consecutiveErrorLimit: 4', 'inconclusiveLimit: 1', 'noData: inconclusive', 'below: 0.05', 'deadline: 1h']) {
      expect(withCheck).toContain(line);
    }
  });
});

test('formatSpecErrors writes one line per error, with file and line when known', () => {
  const text = formatSpecErrors(
    [
      { path: 'strategy.canary.steps[1].bake', message: 'must be longer than 0', line: 12 },
      { path: 'image', message: 'is required' },
      { path: '', message: 'not valid YAML' },
    ],
    'promotion.yaml',
  );
  expect(text).toBe(
    [
      'promotion.yaml is invalid (3 errors):',
      '  promotion.yaml:12: strategy.canary.steps[1].bake: must be longer than 0',
      '  promotion.yaml: image: is required',
      '  promotion.yaml: (document): not valid YAML',
    ].join('\n'),
  );
  expect(formatSpecErrors([{ path: 'image', message: 'is required' }])).toBe('promotion spec is invalid (1 error):\n  image: is required');
});

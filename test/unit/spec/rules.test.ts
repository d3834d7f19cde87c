// Cross-field rules, reported with the path of the YAML field a user has to change.
import { errorsOf, parseMutated, type RawDoc } from './fixtures';
import { parsePromotionSpec } from '../../../src/spec/parse';

const steps = (d: RawDoc) => d.strategy.canary.steps;
const check = (d: RawDoc, i: number) => d.analysis.checks[i];
const DEFINED = 'defined checks: error-rate, p95, canary-ready, no-canary-alerts, health';
const asRolling = (d: RawDoc, rolling: Record<string, unknown> = {}) => {
  d.strategy = { rolling: { steps: [{ bake: '5m' }], ...rolling } };
};
const asBlueGreen = (d: RawDoc, blueGreen: Record<string, unknown> = {}) => {
  d.strategy = { blueGreen: { steps: [{ setWeight: 100 }, { bake: '5m' }], ...blueGreen } };
};

type Row = [name: string, path: string, mutate: (d: RawDoc) => void, message: RegExp];

const rows: Row[] = [
  // references to checks
  ['analysis step names an unknown check', 'strategy.canary.steps[3].analysis.checks[1]', (d) => (steps(d)[3].analysis.checks[1] = 'p99'), new RegExp(`^unknown check "p99"; ${DEFINED}$`)],
  ['preflight names an unknown check', 'analysis.preflight[0]', (d) => (d.analysis.preflight = ['nope']), /^unknown check "nope"; defined checks:/],
  ['background lists a check twice', 'analysis.background[1]', (d) => (d.analysis.background = ['error-rate', 'error-rate']), /^check "error-rate" is listed twice$/],
  ['postPromotion names an unknown check', 'postPromotion.checks[0]', (d) => (d.postPromotion.checks = ['latency']), /^unknown check "latency"/],
  ['references with no checks defined', 'analysis.preflight[0]', (d) => { d.analysis.checks = []; d.analysis.background = []; d.postPromotion.checks = ['x']; steps(d).splice(3, 1); d.analysis.preflight = ['x']; }, /^unknown check "x"; no checks are defined under analysis.checks$/],
  ['duplicate check names', 'analysis.checks[1].name', (d) => (check(d, 1).name = 'error-rate'), /^duplicate check name "error-rate" \(also analysis.checks\[0\]\)$/],
  // the canary Deployment
  ['canary strategy without target.canary', 'target.canary', (d) => delete d.target.canary, /^is required by the canary strategy/],
  ['scale step on a missing canary', 'strategy.canary.steps[5].scale.deployment', (d) => delete d.target.canary, /^is "canary" but target.canary is not set$/],
  ['kubernetes check on a missing canary', 'analysis.checks[2].kubernetes.deployment', (d) => delete d.target.canary, /^is "canary" but target.canary is not set$/],
  ['rolling scaleCanaryToZero without a canary', 'target.canary', (d) => { asRolling(d, { scaleCanaryToZero: true, productionImage: 'r/x:1' }); delete d.target.canary; d.analysis.checks[2].kubernetes.deployment = 'stable'; }, /^is required by strategy.rolling.scaleCanaryToZero$/],
  // routers
  ['nginx router without an ingress anywhere', 'strategy.canary.router.nginx.ingress', (d) => { d.strategy.canary.router = { nginx: {} }; delete d.target.ingress; }, /^is required: name the canary Ingress here or in target.ingress$/],
  ['serviceSelector router for canary', 'strategy.canary.router.serviceSelector', (d) => (d.strategy.canary.router = { serviceSelector: {} }), /^a serviceSelector router moves all traffic at once; the canary strategy needs replicas or nginx/],
  ['blueGreen with a replicas router', 'strategy.blueGreen.router.replicas', (d) => asBlueGreen(d, { router: { replicas: {} } }), /^blueGreen switches a Service selector; use a serviceSelector router, not replicas$/],
  ['blueGreen partial weight', 'strategy.blueGreen.steps[0].setWeight', (d) => asBlueGreen(d, { steps: [{ setWeight: 50 }] }), /^is 50, but a serviceSelector router can only send 0 or 100 percent to the new side$/],
  ['blueGreen without a Service', 'strategy.blueGreen.router.serviceSelector.service', (d) => { asBlueGreen(d); delete d.target.service; }, /^is required: name the Service here or in target.service$/],
  ['setWeight in a rolling promotion', 'strategy.rolling.steps[0].setWeight', (d) => asRolling(d, { steps: [{ setWeight: 10 }], productionImage: 'r/x:1' }), /^the rolling strategy has no router to shift traffic with/],
  // conditions against sources
  ['prometheus check without a condition', 'analysis.checks[0].condition', (d) => delete check(d, 0).condition, /^is required for a prometheus check, e.g. \{ below: 0.05 \}/],
  ['numeric kubernetes measure without a condition', 'analysis.checks[2].condition', (d) => delete check(d, 2).condition, /^is required for the numeric measure notReadyRatio/],
  ['mannWhitney on a kubernetes check', 'analysis.checks[2].condition', (d) => (check(d, 2).condition = { mannWhitney: {} }), /^mannWhitney compares sample series; use it with a prometheus source and range$/],
  ['relative condition on crashLoopBackOff', 'analysis.checks[2].condition', (d) => (check(d, 2).kubernetes.measure = 'crashLoopBackOff') && (check(d, 2).condition = { relativeToBaseline: { maxRatio: 2 } }), /^crashLoopBackOff counts affected pods; use a threshold/],
  ['condition on an http check', 'analysis.checks[4].condition', (d) => (check(d, 4).condition = { equals: 200 }), /^http checks pass on the expected status \(and JSON\); remove the condition$/],
  ['relative condition on an alerts check', 'analysis.checks[3].condition', (d) => (check(d, 3).condition = { relativeToStable: { maxRatio: 1 } }), /^an alerts check counts firing alerts; use a threshold/],
  ['an alerts check matching everything', 'analysis.checks[3].alerts', (d) => (check(d, 3).alerts = {}), /^needs names or labels; an empty matcher would match every firing alert$/],
  ['mannWhitney without range', 'analysis.checks[1].prometheus.range', (d) => (check(d, 1).condition = { mannWhitney: {} }), /^is required by mannWhitney, e.g. \{ window: 10m, step: 30s \}$/],
  ['mannWhitney with too short a range', 'analysis.checks[1].prometheus.range', (d) => { check(d, 1).condition = { mannWhitney: {} }; check(d, 1).prometheus.range = { window: '5m', step: '30s' }; }, /^yields at most 11 samples per side, fewer than mannWhitney.minSamples \(20\)/],
  ['range without mannWhitney', 'analysis.checks[0].prometheus.range', (d) => (check(d, 0).prometheus.range = { window: '10m', step: '30s' }), /^is only used by a mannWhitney condition; remove it$/],
  // query templates
  ['unknown placeholder', 'analysis.checks[0].prometheus.query', (d) => (check(d, 0).prometheus.query = 'up{pod="{{pod}}"}'), /^unknown placeholder \{\{pod\}\}; known placeholders: namespace, stable, canary, variant, image, deployment$/],
  ['placeholder outside quotes', 'analysis.checks[0].prometheus.query', (d) => (check(d, 0).prometheus.query = '{{namespace}}_up'), /is outside a quoted string/],
  ['relativeToStable with a side-blind query', 'analysis.checks[1].prometheus.query', (d) => (check(d, 1).prometheus.query = 'histogram_quantile(0.95, x)'), /^relativeToStable runs the query for the canary and for the stable side; use \{\{variant\}\} or \{\{deployment\}\}/],
  ['{{canary}} without a canary', 'analysis.checks[0].prometheus.query', (d) => { asRolling(d, { productionImage: 'r/x:1' }); delete d.target.canary; check(d, 2).kubernetes.deployment = 'stable'; check(d, 0).prometheus.query = 'up{d="{{canary}}"}'; }, /^\{\{canary\}\} has no value here/],
  // deadlines
  ['bakes longer than the promotion deadline', 'deadlines.promotion', (d) => (d.deadlines.promotion = '4m'), /^is 4m but the steps bake for 5m in total; raise the deadline or shorten the bakes$/],
];

test.each(rows)('%s → error at %s', (_name, path, mutate, message) => {
  expect(errorsOf(parseMutated(mutate))).toContainEqual({ path, message: expect.stringMatching(message) });
});

describe('router defaults come from the target', () => {
  test('nginx takes target.ingress', () => {
    const result = parseMutated((d) => (d.strategy.canary.router = { nginx: null }));
    expect(result.ok && result.spec.strategy).toMatchObject({ router: { kind: 'nginx', ingress: 'zai-proxy-canary' } });
  });

  test('the router’s own ingress wins over target.ingress', () => {
    const result = parseMutated((d) => (d.strategy.canary.router = { nginx: { ingress: 'other' } }));
    expect(result.ok && result.spec.strategy).toMatchObject({ router: { kind: 'nginx', ingress: 'other' } });
  });

  test('blueGreen defaults to a serviceSelector on target.service, label version, 30s scale-down delay', () => {
    const result = parseMutated((d) => asBlueGreen(d));
    expect(result.ok && result.spec.strategy).toEqual({
      kind: 'blueGreen',
      router: { kind: 'serviceSelector', service: 'zai-proxy', label: 'version' },
      scaleDownDelay: 30_000,
      steps: [{ kind: 'setWeight', weight: 100 }, { kind: 'bake', duration: 300_000 }],
    });
  });

  test('rolling derives the production image from the candidate', () => {
    const result = parseMutated((d) => { asRolling(d); d.image = 'ronaldraygun/zai-proxy:1.2.1-canary'; });
    expect(result.ok && result.spec.strategy).toEqual({
      kind: 'rolling',
      productionImage: 'ronaldraygun/zai-proxy:1.2.1',
      scaleCanaryToZero: false,
      steps: [{ kind: 'bake', duration: 300_000 }],
    });
  });

  test('a bake budget exactly inside the deadline is fine', () => {
    expect(parseMutated((d) => (d.deadlines.promotion = '5m1s')).ok).toBe(true);
  });
});

describe('rolling production image', () => {
  const rolling = (image: string, productionImage?: string) => `apiVersion: canary-promoter/v1
kind: Promotion
target: { namespace: ns, stable: app, canary: app-canary }
image: ${image}
strategy:
  rolling:
    steps: []${productionImage ? `\n    productionImage: ${productionImage}` : ''}
`;
  test.each([
    ['r/x:1.2.1-canary', undefined, 'r/x:1.2.1'],
    ['r/x:1.2.1', undefined, 'r/x:1.2.1'],
    ['r/x@sha256:' + 'a'.repeat(64), undefined, 'r/x@sha256:' + 'a'.repeat(64)],
    ['r/x:1.2.1-canary', 'r/x:9.9.9', 'r/x:9.9.9'],
  ])('%s (productionImage %s) rolls out %s', (image, productionImage, expected) => {
    const parsed = parsePromotionSpec(rolling(image, productionImage));
    expect(parsed.ok && parsed.spec.strategy.kind === 'rolling' && parsed.spec.strategy.productionImage).toBe(expected);
  });
});

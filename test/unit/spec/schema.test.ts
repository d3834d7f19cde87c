// Field-level validation: every error names its field and says what would be valid.
import { errorsOf, parseMutated, type RawDoc } from './fixtures';

const steps = (d: RawDoc) => d.strategy.canary.steps;
const check = (d: RawDoc, i: number) => d.analysis.checks[i];

type Row = [name: string, path: string, mutate: (d: RawDoc) => void, message: RegExp];

const rows: Row[] = [
  // document and target
  ['wrong apiVersion', 'apiVersion', (d) => (d.apiVersion = 'v1'), /^must be "canary-promoter\/v1"; got "v1"$/],
  ['missing kind', 'kind', (d) => delete d.kind, /^is required: must be "Promotion"$/],
  ['unknown top-level key', 'rollback', (d) => (d.rollback = {}), /^unknown key "rollback"; valid keys: apiVersion, kind, target, image, strategy, analysis, deadlines, postPromotion, notify$/],
  ['namespace not a DNS label', 'target.namespace', (d) => (d.target.namespace = 'Demo_NS'), /must be a DNS-1123 label.*got "Demo_NS"/],
  ['namespace too long', 'target.namespace', (d) => (d.target.namespace = 'a'.repeat(64)), /DNS-1123 label/],
  ['Deployment name not a DNS subdomain', 'target.stable', (d) => (d.target.stable = 'zai_proxy'), /must be a DNS-1123 subdomain/],
  ['Service name starting with a digit', 'target.service', (d) => (d.target.service = '1svc'), /must be a DNS-1035 label/],
  ['missing stable', 'target.stable', (d) => delete d.target.stable, /^is required \(a string\)$/],
  ['unknown target key', 'target.deployment', (d) => (d.target.deployment = 'x'), /^unknown key "deployment"; valid keys: namespace, stable, canary, container, service, ingress$/],
  ['bad image', 'image', (d) => (d.image = 'Registry/X:1'), /bad repository component "Registry"/],
  ['image not a string', 'image', (d) => (d.image = 12), /^must be a string; got 12$/],
  // strategy and router
  ['empty strategy', 'strategy', (d) => (d.strategy = {}), /^is empty; expected one of: canary, blueGreen, rolling$/],
  ['two strategies', 'strategy', (d) => (d.strategy.rolling = {}), /^has canary and rolling; a strategy has exactly one of: canary, blueGreen, rolling$/],
  ['unknown strategy', 'strategy.linear', (d) => (d.strategy = { linear: {} }), /^unknown strategy "linear"; valid strategy kinds: canary, blueGreen, rolling$/],
  ['strategy is a string', 'strategy', (d) => (d.strategy = 'canary'), /^must be a mapping with one key \(valid strategy kinds: canary, blueGreen, rolling\); got "canary"$/],
  ['unknown router', 'strategy.canary.router.istio', (d) => (d.strategy.canary.router = { istio: {} }), /^unknown router "istio"; valid router kinds: replicas, nginx, serviceSelector$/],
  ['unknown nginx key', 'strategy.canary.router.nginx.stableIngress', (d) => (d.strategy.canary.router = { nginx: { stableIngress: 'x' } }), /^unknown key "stableIngress"; valid keys: ingress$/],
  ['no steps', 'strategy.canary.steps', (d) => (d.strategy.canary.steps = []), /^must have at least 1 item$/],
  // steps
  ['unknown step', 'strategy.canary.steps[1].pause', (d) => (steps(d)[1] = { pause: '5m' }), /^unknown step "pause"; valid step kinds: setWeight, bake, analysis, setImage, scale$/],
  ['two kinds in one step', 'strategy.canary.steps[0]', (d) => (steps(d)[0] = { setWeight: 10, bake: '5m' }), /^has setWeight and bake; a step has exactly one of/],
  ['weight above 100', 'strategy.canary.steps[0].setWeight', (d) => (steps(d)[0].setWeight = 150), /^must be at most 100; got 150$/],
  ['negative weight', 'strategy.canary.steps[0].setWeight', (d) => (steps(d)[0].setWeight = -1), /^must be at least 0; got -1$/],
  ['fractional weight', 'strategy.canary.steps[0].setWeight', (d) => (steps(d)[0].setWeight = 12.5), /^must be a whole number; got 12.5$/],
  ['weight as a string', 'strategy.canary.steps[0].setWeight', (d) => (steps(d)[0].setWeight = '10'), /^must be a number; got "10"$/],
  ['bad bake unit', 'strategy.canary.steps[1].bake', (d) => (steps(d)[1].bake = '5x'), /unknown unit "x"; use h, m, s or ms.*bake: manual/],
  ['bake without unit', 'strategy.canary.steps[1].bake', (d) => (steps(d)[1].bake = 300), /needs a unit/],
  ['zero bake', 'strategy.canary.steps[1].bake', (d) => (steps(d)[1].bake = '0s'), /^must be longer than 0/],
  ['bake as a list', 'strategy.canary.steps[1].bake', (d) => (steps(d)[1].bake = []), /^must be a duration \(e.g. 5m\), `manual`, or \{ manual: true.*got a list$/],
  ['manual: false', 'strategy.canary.steps[2].bake.manual', (d) => (steps(d)[2].bake.manual = false), /^must be true; for a timed bake write `bake: 5m`$/],
  ['unknown onTimeout', 'strategy.canary.steps[2].bake.onTimeout', (d) => (steps(d)[2].bake.onTimeout = 'wait'), /^must be one of "rollback", "promote"; got "wait"$/],
  ['unknown manual bake key', 'strategy.canary.steps[2].bake.timeout', (d) => (steps(d)[2].bake.timeout = '1h'), /^unknown key "timeout"; valid keys: manual, deadline, onTimeout$/],
  ['zero manual deadline', 'strategy.canary.steps[2].bake.deadline', (d) => (steps(d)[2].bake.deadline = '0s'), /^must be longer than 0/],
  ['empty analysis step', 'strategy.canary.steps[3].analysis.checks', (d) => (steps(d)[3].analysis.checks = []), /^must have at least 1 item$/],
  ['setImage on an unknown side', 'strategy.canary.steps[4].setImage.deployment', (d) => (steps(d)[4].setImage.deployment = 'prod'), /^must be one of "stable", "canary"; got "prod"$/],
  ['negative replicas', 'strategy.canary.steps[5].scale.replicas', (d) => (steps(d)[5].scale.replicas = -1), /^must be at least 0; got -1$/],
  ['bad setImage image', 'strategy.canary.steps[4].setImage.image', (d) => (steps(d)[4].setImage.image = 'x y'), /not an image reference/],
  // checks
  ['check name not a DNS label', 'analysis.checks[0].name', (d) => (check(d, 0).name = 'Error_Rate'), /must be a DNS-1123 label/],
  ['check without a source', 'analysis.checks[0]', (d) => delete check(d, 0).prometheus, /^needs a source: one of prometheus, kubernetes, alerts, http$/],
  ['check with two sources', 'analysis.checks[0]', (d) => (check(d, 0).http = { url: 'http://x' }), /^has prometheus and http; a check has exactly one source/],
  ['unknown check source', 'analysis.checks[0].datadog', (d) => (check(d, 0).datadog = {}), /^unknown key "datadog"; valid keys: name, prometheus, kubernetes, alerts, http, condition, interval/],
  ['unknown condition', 'analysis.checks[0].condition.bellow', (d) => (check(d, 0).condition = { bellow: 0.05 }), /^unknown condition "bellow"; valid condition kinds: below, atMost, above, atLeast, equals, notEquals, relativeToStable, relativeToBaseline, mannWhitney$/],
  ['two conditions', 'analysis.checks[0].condition', (d) => (check(d, 0).condition = { below: 1, above: 0 }), /^has below and above; a condition has exactly one of/],
  ['threshold not a number', 'analysis.checks[0].condition.below', (d) => (check(d, 0).condition = { below: '5%' }), /^must be a number; got "5%"$/],
  ['zero maxRatio', 'analysis.checks[1].condition.relativeToStable.maxRatio', (d) => (check(d, 1).condition.relativeToStable.maxRatio = 0), /^must be greater than 0; got 0$/],
  ['negative slack', 'analysis.checks[1].condition.relativeToStable.slack', (d) => (check(d, 1).condition.relativeToStable.slack = -1), /^must be at least 0; got -1$/],
  ['alpha of 1', 'analysis.checks[1].condition.mannWhitney.alpha', (d) => (check(d, 1).condition = { mannWhitney: { alpha: 1 } }), /^must be less than 1; got 1$/],
  ['empty query', 'analysis.checks[0].prometheus.query', (d) => (check(d, 0).prometheus.query = '  '), /^must have at least 1 character$/],
  ['unknown kubernetes measure', 'analysis.checks[2].kubernetes.measure', (d) => (check(d, 2).kubernetes.measure = 'ready'), /^must be one of "readyRatio", "notReadyRatio", "maxRestarts", "crashLoopBackOff", "oomKilled", "rolloutProgress"; got "ready"$/],
  ['http URL of another scheme', 'analysis.checks[4].http.url', (d) => (check(d, 4).http.url = 'ftp://x/health'), /^must be an http:\/\/ or https:\/\/ URL; got "ftp:\/\/x\/health"$/],
  ['http status out of range', 'analysis.checks[4].http.status', (d) => (check(d, 4).http.status = 99), /^must be at least 100; got 99$/],
  ['bad alert label key', 'analysis.checks[3].alerts.labels["bad key!"]', (d) => (check(d, 3).alerts.labels = { 'bad key!': 'x' }), /^must be a label key/],
  ['alert labels not a mapping', 'analysis.checks[3].alerts.labels', (d) => (check(d, 3).alerts.labels = null), /^must be a mapping; got null$/],
  ['alert names not a list', 'analysis.checks[3].alerts.names', (d) => (check(d, 3).alerts.names = 'A'), /^must be a list; got "A"$/],
  ['count of 0', 'analysis.checks[0].count', (d) => (check(d, 0).count = 0), /^must be at least 1; got 0$/],
  ['unknown noData policy', 'analysis.checks[0].noData', (d) => (check(d, 0).noData = 'ignore'), /^must be one of "fail", "pass", "inconclusive"; got "ignore"$/],
  ['negative failureLimit', 'analysis.checks[0].failureLimit', (d) => (check(d, 0).failureLimit = -1), /^must be at least 0; got -1$/],
  ['bad for', 'analysis.checks[0].for', (d) => (check(d, 0).for = 'two minutes'), /is not a duration/],
  ['unknown defaults key', 'analysis.defaults.intervall', (d) => (d.analysis.defaults.intervall = '1m'), /^unknown key "intervall"; valid keys: interval, initialDelay, count/],
  ['zero interval', 'analysis.defaults.interval', (d) => (d.analysis.defaults.interval = '0s'), /^must be longer than 0/],
  ['bad variant label value', 'analysis.variants.canary', (d) => (d.analysis.variants = { canary: 'te st', stable: 'production' }), /^must be a label value/],
  // the rest of the document
  ['postPromotion without watch', 'postPromotion.watch', (d) => delete d.postPromotion.watch, /^is required \(a duration, e.g. 30s or 5m\)$/],
  ['postPromotion without checks', 'postPromotion.checks', (d) => (d.postPromotion.checks = []), /^must have at least 1 item$/],
  ['zero progress deadline', 'deadlines.progress', (d) => (d.deadlines.progress = 0), /^must be longer than 0/],
  ['a webhook URL instead of a name', 'notify.webhook', (d) => (d.notify = { webhook: 'https://hooks.example/T0/secret' }), /^must be a webhook name.*never in the spec/],
];

test.each(rows)('%s → error at %s', (_name, path, mutate, message) => {
  expect(errorsOf(parseMutated(mutate))).toContainEqual({ path, message: expect.stringMatching(message) });
});

test('every problem is reported at once, not only the first', () => {
  const errors = errorsOf(
    parseMutated((d) => {
      d.target.namespace = 'Bad';
      steps(d)[0].setWeight = 101;
      check(d, 0).condition = { bellow: 1 };
    }),
  );
  expect(errors.map((e) => e.path)).toEqual(['target.namespace', 'strategy.canary.steps[0].setWeight', 'analysis.checks[0].condition.bellow']);
});

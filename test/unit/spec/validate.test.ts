// The normalized form (workflow input) is held to the same rules, with its own paths.
import { parsePromotionSpec } from '../../../src/spec/parse';
import { validatePromotionSpec } from '../../../src/spec/validate';
import type { PromotionSpec } from '../../../src/spec/types';
import { EXAMPLE_YAML, errorsOf } from './fixtures';

function example(): PromotionSpec {
  const result = parsePromotionSpec(EXAMPLE_YAML);
  if (!result.ok) throw new Error('example must parse');
  return JSON.parse(JSON.stringify(result.spec)) as PromotionSpec;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests break the shape on purpose
type Loose = any;

test('a parsed spec that went through JSON (a Temporal payload) validates unchanged', () => {
  const spec = example();
  expect(validatePromotionSpec(JSON.parse(JSON.stringify(spec)))).toEqual({ ok: true, spec });
});

type Row = [name: string, path: string, mutate: (s: Loose) => void, message: RegExp];

const rows: Row[] = [
  ['an empty object', 'target', (s) => Object.keys(s).forEach((k) => delete s[k]), /^is required \(a mapping\)$/],
  ['missing strategy kind', 'strategy.kind', (s) => delete s.strategy.kind, /^is required: must be one of "canary", "blueGreen", "rolling"$/],
  ['unknown strategy kind', 'strategy.kind', (s) => (s.strategy.kind = 'linear'), /^must be one of "canary", "blueGreen", "rolling"; got "linear"$/],
  ['duration as a string', 'strategy.steps[1].duration', (s) => (s.strategy.steps[1].duration = '5m'), /^must be a number; got "5m"$/],
  ['negative duration', 'checks[0].for', (s) => (s.checks[0].for = -1), /^must be at least 0; got -1$/],
  ['unknown step kind', 'strategy.steps[0].kind', (s) => (s.strategy.steps[0].kind = 'pause'), /^must be one of "setWeight", "bake", "manualBake", "analysis", "setImage", "scale"; got "pause"$/],
  ['extra field', 'strategy.steps[0].percent', (s) => (s.strategy.steps[0].percent = 10), /^unknown key "percent"; valid keys: kind, weight$/],
  ['nginx router without ingress', 'strategy.router.ingress', (s) => (s.strategy.router = { kind: 'nginx' }), /^is required \(a string\)$/],
  ['serviceSelector for canary', 'strategy.router', (s) => (s.strategy.router = { kind: 'serviceSelector', service: 'svc', label: 'version' }), /^a serviceSelector router moves all traffic at once/],
  ['unknown check in a step', 'strategy.steps[3].checks[0]', (s) => (s.strategy.steps[3].checks[0] = 'nope'), /^unknown check "nope"/],
  ['unknown preflight check', 'preflight[0]', (s) => (s.preflight[0] = 'nope'), /^unknown check "nope"/],
  ['duplicate check names', 'checks[1].name', (s) => (s.checks[1].name = 'error-rate'), /^duplicate check name "error-rate" \(also checks\[0\]\)$/],
  ['bad query template', 'checks[0].source.query', (s) => (s.checks[0].source.query = 'up{a="{{pod}}"}'), /^unknown placeholder \{\{pod\}\}/],
  ['missing condition', 'checks[0].condition', (s) => delete s.checks[0].condition, /^is required for a prometheus check/],
  ['canary check without a canary', 'checks[2].source.deployment', (s) => delete s.target.canary, /^is "canary" but target.canary is not set$/],
  ['setWeight in rolling', 'strategy.steps[0].weight', (s) => (s.strategy = { kind: 'rolling', scaleCanaryToZero: false, steps: [{ kind: 'setWeight', weight: 5 }] }), /no router/],
  ['image missing', 'image', (s) => delete s.image, /^is required \(a string\)$/],
  ['threshold op', 'checks[0].condition.op', (s) => (s.checks[0].condition.op = '=<'), /^must be one of "<", "<=", ">", ">=", "==", "!="; got "=<"$/],
];

test.each(rows)('%s → error at %s', (_name, path, mutate, message) => {
  const spec = example();
  mutate(spec);
  expect(errorsOf(validatePromotionSpec(spec))).toContainEqual({ path, message: expect.stringMatching(message) });
});

test.each([null, 'spec', 42])('%p is refused', (value) => {
  expect(errorsOf(validatePromotionSpec(value))).toEqual([{ path: '', message: expect.stringMatching(/^(is required|must be) a mapping/) }]);
});

import { formatPath, parsePath } from '../../../src/spec/path';

test.each<[(string | number)[], string]>([
  [['strategy', 'canary', 'steps', 2, 'bake'], 'strategy.canary.steps[2].bake'],
  [['analysis', 'checks', 0, 'alerts', 'labels', 'app.kubernetes.io/name'], 'analysis.checks[0].alerts.labels["app.kubernetes.io/name"]'],
  [['postPromotion', 'watch'], 'postPromotion.watch'],
  [[], ''],
])('%j ⇄ %s', (segments, text) => {
  expect(formatPath(segments)).toBe(text);
  if (segments.length > 0) expect(parsePath(text)).toEqual(segments);
});

test('numeric dotted segments are indexes', () => {
  expect(parsePath('strategy.canary.steps.1.bake')).toEqual(['strategy', 'canary', 'steps', 1, 'bake']);
});

test.each([
  ['', /empty path/],
  ['.a', /cannot start with "."/],
  ['a..b', /expected a key/],
  ['a[1', /missing "\]"/],
  ['a[x]', /expected an index or a quoted key/],
  ['a[1]b', /expected "." or "\["/],
])('parsePath(%p) explains what is wrong', (path, message) => {
  expect(() => parsePath(path)).toThrow(message);
});

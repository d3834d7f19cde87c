import { erfc, mannWhitneyU, upperTail } from '../../../src/analysis/mann-whitney';

// Reference values from an independent Python implementation (math.erfc) of the same textbook
// formula: average ranks for ties, tie-corrected variance, continuity correction 0.5.
const A = {
  x: [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3],
  y: [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29],
};
const B = { x: [3, 4, 4, 5, 5, 5, 6, 7, 7, 8], y: [1, 2, 2, 3, 3, 4, 4, 4, 5, 6] };
const C = { x: Array.from({ length: 20 }, (_, i) => i + 1), y: Array.from({ length: 20 }, (_, i) => i + 21) };

test.each([
  ['A (no ties)', A, 'greater', 58, 1.502688234205555, 0.06645972909265943],
  ['A (no ties)', A, 'less', 58, 1.5910816597470583, 0.9442044002897128],
  ['B (many ties)', B, 'greater', 82, 2.4150052960700528, 0.007867490449036554],
  ['B (many ties)', B, 'less', 82, 2.4916721308659278, 0.9936428328355804],
  ['C (separated)', C, 'greater', 0, -5.423542852524605, 0.9999999707854003],
  ['C (separated)', C, 'less', 0, -5.396492763484582, 3.397807564086694e-8],
] as const)('%s, alternative %s', (_name, { x, y }, alternative, u, z, p) => {
  const result = mannWhitneyU(x, y, alternative);
  expect(result.u).toBe(u);
  expect(result.z).toBeCloseTo(z, 10);
  // erfc is accurate to a relative 1.2e-7, far finer than any alpha
  expect(Math.abs(result.pValue - p) / p).toBeLessThan(2e-7);
  expect(result).toMatchObject({ n1: x.length, n2: y.length });
});

test('swapping the samples mirrors the alternative', () => {
  expect(mannWhitneyU(B.y, B.x, 'less').pValue).toBeCloseTo(mannWhitneyU(B.x, B.y, 'greater').pValue, 12);
});

test('the result does not depend on input order', () => {
  const shuffled = [...B.x].reverse();
  expect(mannWhitneyU(shuffled, B.y, 'greater')).toEqual(mannWhitneyU(B.x, B.y, 'greater'));
});

test.each(['greater', 'less'] as const)('all values tied: no evidence, p = 1 (%s)', (alternative) => {
  expect(mannWhitneyU([2, 2, 2], [2, 2, 2, 2], alternative).pValue).toBe(1);
});

test('infinite samples are ordered, not refused', () => {
  const result = mannWhitneyU([Infinity, Infinity, Infinity, 9, 9], [1, 2, 3, 4, 5], 'greater');
  expect(result.u).toBe(25);
  expect(result.pValue).toBeLessThan(0.01);
});

test.each([
  [[], [1], /at least one sample/],
  [[1], [], /at least one sample/],
  [[1, NaN], [1], /cannot be NaN/],
])('refuses %p vs %p', (x, y, message) => {
  expect(() => mannWhitneyU(x, y, 'greater')).toThrow(message);
});

test.each([
  [0, 1],
  [0.5, 0.4795001222],
  [1, 0.1572992071],
  [-1, 1.8427007929],
  [2, 0.004677734981],
  [3, 0.00002209049700],
])('erfc(%p) ≈ %p', (x, expected) => {
  expect(Math.abs(erfc(x) - expected) / expected).toBeLessThan(2e-7);
});

test('upperTail is the standard normal survival function', () => {
  expect(upperTail(0)).toBeCloseTo(0.5, 7);
  expect(upperTail(1.959963985)).toBeCloseTo(0.025, 7);
  expect(upperTail(Infinity)).toBe(0);
  expect(upperTail(-Infinity)).toBe(1);
});

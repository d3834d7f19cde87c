// Mann-Whitney U test, one-sided, with the normal approximation, tie correction and continuity
// correction (as scipy.stats.mannwhitneyu(method='asymptotic')). Used to ask "is the canary's
// latency distribution worse than stable's?" without assuming normality. Pure and
// deterministic: safe in the workflow sandbox.

/** `greater`: the alternative is that x tends to be larger than y. */
export type Alternative = 'greater' | 'less';

export interface MannWhitneyResult {
  /** U statistic of x */
  u: number;
  /** standardized U (continuity-corrected); ±Infinity when every value is tied */
  z: number;
  /** one-sided p-value, 0..1 */
  pValue: number;
  n1: number;
  n2: number;
}

/**
 * @param x e.g. canary samples; @param y e.g. stable samples. Both non-empty, no NaN
 *   (±Infinity is fine: it only needs an order).
 * @throws RangeError for empty inputs or NaN, which callers filter out first
 */
export function mannWhitneyU(x: readonly number[], y: readonly number[], alternative: Alternative): MannWhitneyResult {
  const n1 = x.length;
  const n2 = y.length;
  if (n1 === 0 || n2 === 0) throw new RangeError('mannWhitneyU needs at least one sample on each side');
  if (x.some(Number.isNaN) || y.some(Number.isNaN)) throw new RangeError('mannWhitneyU samples cannot be NaN');

  const { rankSumX, tieTerm } = rank(x, y);
  const u = rankSumX - (n1 * (n1 + 1)) / 2;
  const n = n1 + n2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  const sigma = Math.sqrt(Math.max(variance, 0));
  const shifted = alternative === 'greater' ? u - mean - 0.5 : u - mean + 0.5;
  // All values tied: no evidence either way; the limit of the formula is p = 1.
  const z = sigma === 0 ? (alternative === 'greater' ? -Infinity : Infinity) : shifted / sigma;
  const pValue = alternative === 'greater' ? upperTail(z) : upperTail(-z);
  return { u, z, pValue: Math.min(1, Math.max(0, pValue)), n1, n2 };
}

/** Sum of x's ranks in the pooled sample (ties get their average rank) and Σ(t³ − t) over ties. */
function rank(x: readonly number[], y: readonly number[]): { rankSumX: number; tieTerm: number } {
  const pooled = [...x.map((value) => ({ value, fromX: true })), ...y.map((value) => ({ value, fromX: false }))];
  pooled.sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  let rankSumX = 0;
  let tieTerm = 0;
  for (let start = 0; start < pooled.length; ) {
    let end = start + 1;
    while (end < pooled.length && pooled[end]!.value === pooled[start]!.value) end += 1;
    const t = end - start;
    const averageRank = (start + 1 + end) / 2; // ranks start+1 … end
    for (let k = start; k < end; k++) if (pooled[k]!.fromX) rankSumX += averageRank;
    tieTerm += t * t * t - t;
    start = end;
  }
  return { rankSumX, tieTerm };
}

/** P(Z > z) for a standard normal Z. */
export function upperTail(z: number): number {
  if (z === Infinity) return 0;
  if (z === -Infinity) return 1;
  return 0.5 * erfc(z / Math.SQRT2);
}

/** Complementary error function, fractional error below 1.2e-7 everywhere (Numerical Recipes' erfcc). */
export function erfc(x: number): number {
  const t = 1 / (1 + 0.5 * Math.abs(x));
  const poly =
    -1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(-x * x + poly);
  return x >= 0 ? value : 2 - value;
}

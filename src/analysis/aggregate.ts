// Several checks → one analysis verdict, with the measurements that decided it, so a rollback
// can say "check error-rate failed: 0.31 >= 0.05 (for 2m)". Dry-run checks are reported but
// never decide.
import type { CheckSpec } from '../spec/types';
import type { Measurement, RunVerdict } from './types';
import { runVerdict, type CheckRunState } from './run';
import { describeDecision } from './summary';

export interface CheckRun {
  check: CheckSpec;
  state: CheckRunState;
}

export interface AnalysisVerdict {
  /**
   * fail > error > inconclusive > running > pass: the first that any deciding check has.
   * With no deciding checks (none, or only dry-run ones) the verdict is pass.
   */
  verdict: RunVerdict;
  /** with `inconclusive`: `fail` if any inconclusive check asks to fail, else `pause` */
  onInconclusive?: 'pause' | 'fail';
  /** the measurements behind the verdict, one per check that has it */
  deciding: Measurement[];
  /** one line per deciding check, `; `-joined, plus what dry-run checks would have done */
  reason: string;
  checks: { check: string; verdict: RunVerdict; dryRun: boolean }[];
}

const PRIORITY: readonly RunVerdict[] = ['fail', 'error', 'inconclusive', 'running', 'pass'];

/**
 * @param options.continuous background analysis: it runs until the bake ends, so reaching
 *   `count` is not a pass; the verdict stays `running` unless something trips
 */
export function analysisVerdict(runs: readonly CheckRun[], options: { continuous?: boolean } = {}): AnalysisVerdict {
  const judged = runs.map(({ check, state }) => {
    const verdict = runVerdict(state, check);
    return { check, state, verdict: options.continuous && verdict === 'pass' ? ('running' as const) : verdict };
  });
  const deciding = judged.filter((j) => !j.check.dryRun);
  const verdict = PRIORITY.find((v) => deciding.some((j) => j.verdict === v)) ?? 'pass';
  const decided = deciding.filter((j) => j.verdict === verdict);

  const lines = decided.flatMap((j) => describeDecision(j.state, j.check, j.verdict) ?? []);
  const waiting = verdict === 'running' ? [`waiting for ${decided.map((j) => j.check.name).join(', ')}`] : [];
  const allPassed = verdict === 'pass' ? [deciding.length === 0 ? 'no checks to decide' : `all ${deciding.length} checks passed`] : [];
  const dryRun = judged
    .filter((j) => j.check.dryRun && (j.verdict === 'fail' || j.verdict === 'error' || j.verdict === 'inconclusive'))
    .map((j) => `dry run: ${describeDecision(j.state, j.check, j.verdict)}`);

  return {
    verdict,
    ...(verdict === 'inconclusive' && {
      onInconclusive: decided.some((j) => j.check.onInconclusiveLimit === 'fail') ? ('fail' as const) : ('pause' as const),
    }),
    deciding: decided.flatMap((j) => decidingMeasurement(j.state, j.verdict) ?? []),
    reason: [...(verdict === 'pass' ? allPassed : verdict === 'running' ? waiting : lines), ...dryRun].join('; '),
    checks: judged.map((j) => ({ check: j.check.name, verdict: j.verdict, dryRun: j.check.dryRun })),
  };
}

function decidingMeasurement(state: CheckRunState, verdict: RunVerdict): Measurement | undefined {
  switch (verdict) {
    case 'fail': return state.lastFailure?.measurement;
    case 'error': return state.lastError;
    case 'inconclusive': return state.lastInconclusive;
    case 'pass':
    case 'running': return state.recent.at(-1);
  }
}

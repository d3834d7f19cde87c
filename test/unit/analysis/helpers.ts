// Builders for analysis tests: a check with the spec defaults, and measurements at given times.
import type { CheckSpec } from '../../../src/spec/types';
import { DEFAULT_CHECK_SETTINGS } from '../../../src/spec/defaults';
import type { Measurement, MeasurementVerdict } from '../../../src/analysis/types';

export function makeCheck(overrides: Partial<CheckSpec> = {}): CheckSpec {
  return {
    name: 'error-rate',
    source: { kind: 'prometheus', query: 'x{variant="{{variant}}"}' },
    condition: { kind: 'threshold', op: '<', value: 0.05 },
    ...DEFAULT_CHECK_SETTINGS,
    ...overrides,
  };
}

const T0 = Date.UTC(2026, 0, 1);

/** A measurement of `check` at `seconds` after a fixed epoch. */
export function measured(verdict: MeasurementVerdict, seconds: number, check = 'error-rate', reason = `${verdict} at ${seconds}s`): Measurement {
  return { check, verdict, reason, at: T0 + seconds * 1000, dryRun: false };
}

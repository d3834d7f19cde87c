// The three steps from raw data to a decision, as data:
//   Observation (what an activity read) → Measurement (one verdict) → run verdict (with limits).

/** What a source returned for one evaluation. `noData` is not an error: the source answered. */
export type Observation =
  | {
      kind: 'value';
      value: number;
      /** the same query for the stable side, for relativeToStable */
      stableValue?: number;
      /** what the source saw, in words, for the measurement's reason: "2 alerts firing: A, B", "status 503" */
      detail?: string;
    }
  | { kind: 'samples'; canary: number[]; stable: number[] }
  | { kind: 'noData' }
  | { kind: 'error'; message: string };

export type MeasurementVerdict = 'pass' | 'fail' | 'inconclusive' | 'error';

export interface Measurement {
  check: string;
  verdict: MeasurementVerdict;
  /** the value compared; undefined when there was none */
  value?: number;
  /** what it was compared with, in words: "< 0.05", "<= 1.5 × stable (0.12)" */
  threshold?: string;
  /** why, in one line */
  reason: string;
  /** workflow time (ms since epoch) */
  at: number;
  dryRun: boolean;
}

/** The run-level verdict of one check after limits: `running` until it decides. */
export type RunVerdict = 'running' | 'pass' | 'fail' | 'inconclusive' | 'error';

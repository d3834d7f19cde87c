// Numbers as people read them in verdicts: few digits, Prometheus spelling for the odd values.

/** 0.051234 → `0.05123`, 1234.5 → `1235`, NaN → `NaN`, Infinity → `+Inf`. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return String(Math.round(value));
  return String(Number(value.toPrecision(4)));
}

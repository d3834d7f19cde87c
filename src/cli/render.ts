// Human output: the live terminal view, the final summary, a status table.
import type { Measurement } from '../analysis/types';
import type { PromotionResult, PromotionStatus } from '../workflows/definitions';

const CLEAR = '\x1b[H\x1b[2J';

function fmtMs(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

function bar(done: number, total: number, width: number): string {
  const filled = total > 0 ? Math.round((done / total) * width) : 0;
  return `[${'#'.repeat(filled)}${'.'.repeat(Math.max(0, width - filled))}]`;
}

export function measurementText(m: Measurement): string {
  return `${m.check}: ${m.verdict}${m.value !== undefined ? ` ${m.value}` : ''}${m.threshold ? ` (${m.threshold})` : ''}${m.dryRun ? ' [dry run]' : ''}`;
}

export function statusText(s: PromotionStatus): string {
  const lines = [
    `${s.target} → ${s.image} (${s.strategy})`,
    `phase: ${s.phase}${s.paused && s.phase !== 'paused' ? ' (paused)' : ''}${s.weight !== undefined ? `   weight: ${s.weight}%` : ''}`,
  ];
  if (s.bakeRemainingMs !== undefined && s.bakeTotalMs) {
    // A running bake's end is known; the workflow's own "remaining" is only as fresh as its last task.
    const left = s.bakeEndsAt ? Math.max(0, Date.parse(s.bakeEndsAt) - Date.now()) : s.bakeRemainingMs;
    lines.push(`bake: ${bar(s.bakeTotalMs - left, s.bakeTotalMs, 30)} ${fmtMs(left)} left of ${fmtMs(s.bakeTotalMs)}`);
  }
  lines.push('steps:');
  for (const st of s.steps) lines.push(`  ${st.index === s.currentStep ? '▶' : ' '} ${st.index + 1}. ${st.summary} [${st.status}]`);
  if (s.lastMeasurements.length > 0) {
    lines.push('checks:');
    for (const m of s.lastMeasurements) lines.push(`  ${measurementText(m)}`);
  }
  if (s.outcome) lines.push(`outcome: ${s.outcome}: ${s.reason ?? ''}`);
  return lines.join('\n');
}

export function renderLive(s: PromotionStatus, columns: number): string {
  const recent = s.events.slice(-5).map((e) => `  ${e.at.slice(11, 19)} ${e.message}`.slice(0, columns));
  return `${CLEAR}${statusText(s)}\nrecent:\n${recent.join('\n')}\n`;
}

export function resultText(r: PromotionResult): string {
  const lines = [`${r.outcome}: ${r.target} → ${r.image}: ${r.reason}`];
  if (r.decidedBy) lines.push(`decided by ${r.decidedBy.by}${r.decidedBy.reason ? ` (${r.decidedBy.reason})` : ''}`);
  for (const m of r.measurements) lines.push(`  ${measurementText(m)}`);
  for (const restored of r.restored) lines.push(`  restored ${restored}`);
  if (r.leftToRestore.length > 0) {
    lines.push('A HUMAN MUST RESTORE:');
    for (const left of r.leftToRestore) lines.push(`  - ${left}`);
  }
  return lines.join('\n');
}

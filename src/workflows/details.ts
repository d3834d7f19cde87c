// The markdown the Temporal UI shows as a promotion's current details, and the static summary.
import type { PromotionSpec } from '../spec/types';
import type { PromotionStatus } from './definitions';

export function staticSummary(spec: PromotionSpec): string {
  return `${spec.strategy.kind} ${spec.target.namespace}/${spec.target.stable} → ${spec.image}`;
}

export function currentDetailsMarkdown(s: PromotionStatus): string {
  const lines = [
    `**${s.phase}**${s.paused && s.phase !== 'paused' ? ' (paused)' : ''}${s.currentStep !== undefined ? ` · step ${s.currentStep + 1}/${s.steps.length} ▶ ${s.steps[s.currentStep]?.summary}` : ''} · target \`${s.target}\` · image \`${s.image}\`` +
      (s.weight !== undefined ? ` · canary weight ${s.weight}%` : ''),
    '',
    '| # | step | status |',
    '|---|---|---|',
    ...s.steps.map((st) => `| ${st.index + 1}${st.index === s.currentStep ? ' ▶' : ''} | ${st.summary} | ${st.status} |`),
  ];
  if (s.lastMeasurements.length > 0) {
    lines.push('', '| check | verdict | value | threshold |', '|---|---|---|---|');
    for (const m of s.lastMeasurements) {
      lines.push(`| ${m.check} | ${m.verdict}${m.dryRun ? ' (dry run)' : ''} | ${m.value ?? '–'} | ${m.threshold ?? '–'} |`);
    }
  }
  if (s.reason) lines.push('', `**${s.outcome ?? 'reason'}**: ${s.reason}`);
  return lines.join('\n');
}

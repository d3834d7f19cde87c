// The Prometheus rules and config under deploy/prometheus/, checked and unit-tested by promtool
// (Debian's prometheus package), and every alert exercised by rules.test.yaml.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

const dir = path.resolve(__dirname, '../../../deploy/prometheus');

interface Rule { alert?: string; record?: string; expr: string; for?: string; labels?: Record<string, string> }
interface AlertTest { eval_time: string; alertname: string; exp_alerts?: unknown[] }

function findPromtool(): string {
  for (const d of (process.env.PATH ?? '').split(path.delimiter).concat('/usr/bin')) {
    if (d && fs.existsSync(path.join(d, 'promtool'))) return path.join(d, 'promtool');
  }
  throw new Error('promtool is not installed: it comes with Prometheus. Install it with `apt-get install prometheus`.');
}

function promtool(...args: string[]): { status: number | null; output: string } {
  const r = spawnSync(findPromtool(), args, { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}

const rules = (): Rule[] =>
  (parse(fs.readFileSync(path.join(dir, 'rules.yaml'), 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

const alertTests = (): AlertTest[] =>
  (parse(fs.readFileSync(path.join(dir, 'rules.test.yaml'), 'utf8')) as { tests: { alert_rule_test?: AlertTest[] }[] }).tests
    .flatMap((t) => t.alert_rule_test ?? []);

describe('deploy/prometheus', () => {
  it('passes promtool check rules', () => {
    const r = promtool('check', 'rules', 'rules.yaml');
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('passes promtool check config (the compose Prometheus loads the rules from it)', () => {
    const r = promtool('check', 'config', 'prometheus.yml');
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('passes promtool test rules', () => {
    const r = promtool('test', 'rules', 'rules.test.yaml');
    expect(r.output).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('has the worker alerts and the seed service example', () => {
    const byName = Object.fromEntries(rules().filter((r) => r.alert).map((r) => [r.alert!, r]));
    expect(Object.keys(byName).sort()).toEqual([
      'PromoterWorkerDown', 'PromoterWorkerMissing', 'PromotionRollbackFailed', 'PromotionRolledBack',
      'ZaiProxyCanaryHighErrorRate', 'ZaiProxyCanaryLatencyDegraded',
    ]);
    expect(byName.PromotionRolledBack!.expr).toContain('increase(promoter_promotions_completed_total{outcome="rolled-back"}[10m]) > 0');
    expect(byName.PromotionRollbackFailed!.labels?.severity).toBe('page');
    expect(byName.PromotionRollbackFailed!.expr).toContain('outcome="rollback-failed"');
    expect(byName.ZaiProxyCanaryHighErrorRate!.expr).toContain('zai_proxy_requests_total{variant="canary"');
    expect(byName.ZaiProxyCanaryHighErrorRate!.for).toBe('2m');
    expect(byName.ZaiProxyCanaryLatencyDegraded!.for).toBe('2m');
    for (const rule of Object.values(byName)) expect({ alert: rule.alert, severity: rule.labels?.severity }).toEqual({ alert: rule.alert, severity: expect.any(String) });
  });

  it('makes every alert both fire and stay quiet in rules.test.yaml', () => {
    const tests = alertTests();
    for (const rule of rules().filter((r) => r.alert)) {
      const mine = tests.filter((t) => t.alertname === rule.alert);
      expect({ alert: rule.alert, fires: mine.some((t) => (t.exp_alerts ?? []).length > 0) }).toEqual({ alert: rule.alert, fires: true });
      expect({ alert: rule.alert, quiet: mine.some((t) => (t.exp_alerts ?? []).length === 0) }).toEqual({ alert: rule.alert, quiet: true });
    }
  });
});

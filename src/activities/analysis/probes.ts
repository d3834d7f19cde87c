// Firing alerts and HTTP probes, reported as counts: 0 is healthy, anything else is not.
import type { Observation } from '../../analysis/types';
import { instantValue, PrometheusClient } from './prometheus';

/** Builds `ALERTS{alertstate="firing",...}` with escaped label values. */
export function alertsQuery(names: string[], labels: Record<string, string>): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const regexEsc = (v: string) => esc(v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const matchers = ['alertstate="firing"'];
  if (names.length > 0) matchers.push(`alertname=~"${names.map(regexEsc).join('|')}"`);
  for (const [k, v] of Object.entries(labels)) {
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k)) throw new Error(`alert label name ${JSON.stringify(k)} is not a valid Prometheus label name`);
    matchers.push(`${k}="${esc(v)}"`);
  }
  return `count(ALERTS{${matchers.join(',')}}) or vector(0)`;
}

export async function observeAlerts(client: PrometheusClient, input: { names: string[]; labels: Record<string, string> }): Promise<Observation> {
  try {
    const value = await instantValue(client, alertsQuery(input.names, input.labels));
    return { kind: 'value', value: value ?? 0 };
  } catch (err) {
    return { kind: 'error', message: (err as Error).message };
  }
}

/** 0 when the status and every expected JSON field match; 1 otherwise. Unreachable is an error. */
export async function observeHttp(input: { url: string; expectStatus: number; expectJson?: Record<string, unknown> }): Promise<Observation> {
  let res: Response;
  try {
    res = await fetch(input.url, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    return { kind: 'error', message: `${input.url} cannot be reached: ${(err as Error).message}` };
  }
  if (res.status !== input.expectStatus) return { kind: 'value', value: 1 };
  if (!input.expectJson) return { kind: 'value', value: 0 };
  const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
  const matches = body !== undefined && Object.entries(input.expectJson).every(([k, v]) => JSON.stringify(body[k]) === JSON.stringify(v));
  return { kind: 'value', value: matches ? 0 : 1 };
}

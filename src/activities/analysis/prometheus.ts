// Prometheus as a metric source: instant and range queries over the HTTP API, reduced to an
// Observation. "No data" is an answer, not an error; an unreachable server or a bad query is an
// error, so the analysis can tell a sick canary from a sick monitoring system.
import type { Observation } from '../../analysis/types';

export interface PrometheusClient {
  url: string;
  /** counts queries by result (worker metrics) */
  observe?: (result: 'ok' | 'no-data' | 'error') => void;
}

interface ApiResponse {
  status: 'success' | 'error';
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] }[] };
}

async function get(client: PrometheusClient, path: string, params: Record<string, string>): Promise<ApiResponse['data']> {
  const url = `${client.url.replace(/\/$/, '')}${path}?${new URLSearchParams(params)}`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new Error(`Prometheus at ${client.url} cannot be reached: ${(err as Error).message}`);
  }
  const body = (await res.json().catch(() => ({ status: 'error', error: `HTTP ${res.status}` }))) as ApiResponse;
  if (body.status !== 'success') throw new Error(`Prometheus rejected the query: ${body.error ?? `HTTP ${res.status}`}`);
  return body.data;
}

/** One number from an instant query: empty → undefined; several series → an error naming them. */
export async function instantValue(client: PrometheusClient, query: string): Promise<number | undefined> {
  const data = await get(client, '/api/v1/query', { query });
  if (data?.resultType === 'scalar') return Number((data.result as unknown as [number, string])[1]);
  const series = data?.result ?? [];
  if (series.length === 0) return undefined;
  if (series.length > 1) {
    const labels = series.slice(0, 3).map((s) => JSON.stringify(s.metric)).join(', ');
    throw new Error(`the query returned ${series.length} series (${labels}…); aggregate it to one, e.g. with sum() or max()`);
  }
  return Number(series[0]!.value![1]);
}

/** Samples of a range query (one series), oldest first; NaN samples dropped. */
export async function rangeSamples(client: PrometheusClient, query: string, windowMs: number, stepMs: number, nowMs: number): Promise<number[]> {
  const data = await get(client, '/api/v1/query_range', {
    query, start: String((nowMs - windowMs) / 1000), end: String(nowMs / 1000), step: String(Math.max(1, stepMs / 1000)),
  });
  const series = data?.result ?? [];
  if (series.length > 1) throw new Error(`the range query returned ${series.length} series; aggregate it to one`);
  return (series[0]?.values ?? []).map(([, v]) => Number(v)).filter((v) => !Number.isNaN(v));
}

export async function observePrometheus(
  client: PrometheusClient,
  input: { query: string; stableQuery?: string; range?: { window: number; step: number } },
): Promise<Observation> {
  try {
    if (input.range) {
      if (!input.stableQuery) throw new Error('a range comparison needs the stable query');
      const now = Date.now();
      const canary = await rangeSamples(client, input.query, input.range.window, input.range.step, now);
      const stable = await rangeSamples(client, input.stableQuery, input.range.window, input.range.step, now);
      client.observe?.(canary.length === 0 ? 'no-data' : 'ok');
      return canary.length === 0 ? { kind: 'noData' } : { kind: 'samples', canary, stable };
    }
    const value = await instantValue(client, input.query);
    if (value === undefined) {
      client.observe?.('no-data');
      return { kind: 'noData' };
    }
    const stableValue = input.stableQuery ? await instantValue(client, input.stableQuery) : undefined;
    client.observe?.('ok');
    return { kind: 'value', value, stableValue };
  } catch (err) {
    client.observe?.('error');
    return { kind: 'error', message: (err as Error).message };
  }
}

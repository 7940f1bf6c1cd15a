/**
 * Load generators: autocannon for plain GETs, and a closed-loop worker pool for scripted operations (refresh
 * chains, login flows). Both run for a warm-up then a measured window, both bounded in time, and both report
 * ops/s and p50/p99 latency of the measured window only.
 */

import autocannon from 'autocannon';

export interface LoadResult {
  ops: number;
  opsPerSec: number;
  p50: number;
  p99: number;
  errors: number;
  /** The first error message seen, for the report (never a token: bodies are not included). */
  firstError?: string;
}

export interface Window {
  warmupMs: number;
  measureMs: number;
  /** Called when the measured window opens and closes (the runner reads server CPU time there). */
  onMeasure?: (phase: 'start' | 'end') => void;
}

export interface GetOptions {
  connections: number;
  headers?: Record<string, string>;
  /** Cap on requests per second across all connections (a latency probe rather than a throughput test). */
  overallRate?: number;
}

/** GET `url` over keep-alive connections; a warm-up run, then the measured run. */
export async function autocannonGet(url: string, o: GetOptions, w: Window): Promise<LoadResult> {
  if (new URL(url).hostname !== '127.0.0.1') throw new Error('loopback targets only');
  const opts = { url, connections: o.connections, headers: o.headers ?? {}, pipelining: 1, ...(o.overallRate ? { overallRate: o.overallRate } : {}) };
  await autocannon({ ...opts, duration: Math.max(1, Math.round(w.warmupMs / 1000)) });
  w.onMeasure?.('start');
  const r = await autocannon({ ...opts, duration: Math.max(1, Math.round(w.measureMs / 1000)) });
  w.onMeasure?.('end');
  const bad = r.non2xx + r.errors + r.timeouts;
  return {
    ops: r.requests.total - r.non2xx,
    opsPerSec: (r.requests.total - r.non2xx) / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: bad,
    ...(bad > 0 ? { firstError: `${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts` } : {}),
  };
}

export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

/**
 * Run `workers` independent async loops. Worker `i` calls `op(i)` back to back until the window ends; operations
 * that finish after the warm-up are measured. A failing worker records the error and stops (its chain is broken).
 */
export async function closedLoop(workers: number, w: Window, op: (worker: number) => Promise<void>): Promise<LoadResult> {
  const start = performance.now();
  const measureFrom = start + w.warmupMs;
  const end = measureFrom + w.measureMs;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const marks = [
    setTimeout(() => w.onMeasure?.('start'), w.warmupMs),
    setTimeout(() => w.onMeasure?.('end'), w.warmupMs + w.measureMs),
  ];
  const loop = async (i: number): Promise<void> => {
    while (performance.now() < end) {
      const t0 = performance.now();
      try {
        await op(i);
      } catch (err) {
        errors++;
        firstError ??= err instanceof Error ? err.message : String(err);
        return;
      }
      const t1 = performance.now();
      if (t0 >= measureFrom && t1 <= end) latencies.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, i) => loop(i)));
  marks.forEach(clearTimeout);
  latencies.sort((a, b) => a - b);
  return {
    ops: latencies.length,
    opsPerSec: latencies.length / (w.measureMs / 1000),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    errors,
    ...(firstError ? { firstError } : {}),
  };
}

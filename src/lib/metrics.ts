/**
 * Prometheus metrics (dex v2.45.1 `server/server.go` `newServer` metrics, `cmd/dex/serve.go` telemetry), on the telemetry listener's `/metrics`. HTTP metrics keep dex's names and
 * labels so existing dashboards work: `http_requests_total`, `request_duration_seconds` and `response_size_bytes`
 * labelled `code`, `method` and `handler` (the route pattern relative to the issuer, e.g. `/auth/{connector}`).
 * Ferry adds `ferry_build_info`, storage garbage-collection counts, failed and throttled secret checks
 * (`ferry_auth_failures_total`, `ferry_throttled_total`), back-channel logout delivery
 * (`ferry_backchannel_logout_attempts_total`, `ferry_backchannel_logout_pending`) and the process/Node.js defaults.
 */

import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  /** Records one HTTP response. */
  observeRequest(labels: { code: number; method: string; handler: string }, seconds: number, bytes: number): void;
  /** Records what one garbage collection deleted. */
  observeGC(result: object): void;
  /** Storage health as last probed (1 healthy, 0 not). */
  setStorageHealthy(healthy: boolean): void;
  /** Counts one failed secret check (`password`, `device-code`…) and one refused (throttled) attempt. */
  countAuthFailure(kind: string): void;
  countThrottled(kind: string): void;
  /** Counts one back-channel logout attempt by outcome (`delivered`, `retry`, `dropped`). */
  countLogoutDelivery(outcome: string): void;
  /** Notifications waiting in the back-channel logout outbox, as last seen by this replica. */
  setLogoutPending(n: number): void;
}

export function createMetrics(info: { version: string }): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'ferry_build_info',
    help: 'Ferry build information; always 1.',
    labelNames: ['version', 'node_version', 'platform'],
    registers: [registry],
    aggregator: 'first', // one line for all workers (src/cli/cluster-primary.ts aggregates)
  }).set({ version: info.version, node_version: process.version, platform: `${process.platform}/${process.arch}` }, 1);
  const labelNames = ['code', 'method', 'handler'] as const;
  const requests = new Counter({ name: 'http_requests_total', help: 'Count of all HTTP requests.', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'request_duration_seconds',
    help: 'A histogram of latencies for requests.',
    labelNames,
    buckets: [0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const size = new Histogram({
    name: 'response_size_bytes',
    help: 'A histogram of response sizes for requests.',
    labelNames,
    buckets: [200, 500, 900, 1500],
    registers: [registry],
  });
  const gcDeleted = new Counter({
    name: 'ferry_storage_gc_deleted_total',
    help: 'Expired objects deleted by storage garbage collection, by kind.',
    labelNames: ['kind'],
    registers: [registry],
  });
  const gcRuns = new Counter({ name: 'ferry_storage_gc_runs_total', help: 'Storage garbage collection runs.', registers: [registry] });
  const healthy = new Gauge({ name: 'ferry_storage_healthy', help: '1 when the last storage health probe passed.', registers: [registry], aggregator: 'min' });
  healthy.set(1);
  const authFailures = new Counter({
    name: 'ferry_auth_failures_total',
    help: 'Failed secret checks (wrong password, unknown user code), by kind.',
    labelNames: ['kind'],
    registers: [registry],
  });
  const throttled = new Counter({
    name: 'ferry_throttled_total',
    help: 'Attempts refused with 429 by the brute-force throttle, by kind.',
    labelNames: ['kind'],
    registers: [registry],
  });
  const logoutDeliveries = new Counter({
    name: 'ferry_backchannel_logout_attempts_total',
    help: 'Back-channel logout delivery attempts, by outcome (delivered, retry, dropped).',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const logoutPending = new Gauge({
    name: 'ferry_backchannel_logout_pending',
    help: 'Back-channel logout notifications waiting in the outbox (as last seen by this replica).',
    registers: [registry],
  });
  return {
    registry,
    countLogoutDelivery: (outcome) => logoutDeliveries.inc({ outcome }),
    setLogoutPending: (n) => logoutPending.set(n),
    observeRequest(l, seconds, bytes) {
      const labels = { code: String(l.code), method: l.method, handler: l.handler };
      requests.inc(labels);
      duration.observe(labels, seconds);
      size.observe(labels, bytes);
    },
    observeGC(result) {
      gcRuns.inc();
      for (const [kind, n] of Object.entries(result)) if (typeof n === 'number' && n > 0) gcDeleted.inc({ kind }, n);
    },
    setStorageHealthy(ok) {
      healthy.set(ok ? 1 : 0);
    },
    countAuthFailure: (kind) => authFailures.inc({ kind }),
    countThrottled: (kind) => throttled.inc({ kind }),
  };
}

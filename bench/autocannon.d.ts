// The slice of autocannon's API the benchmark uses (the package ships no types).
declare module 'autocannon' {
  interface Options {
    url: string;
    connections: number;
    duration: number;
    pipelining?: number;
    /** Requests per second across all connections (rate-limited probe). */
    overallRate?: number;
    headers?: Record<string, string>;
  }
  interface Histogram {
    p50: number;
    p99: number;
  }
  interface Result {
    requests: { total: number; average: number };
    latency: Histogram;
    duration: number;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  const autocannon: (opts: Options) => Promise<Result>;
  export = autocannon;
}

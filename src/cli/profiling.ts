/**
 * `telemetry.enableProfiling`: dex mounts Go's pprof handlers at `/debug/pprof/` on the telemetry listener (dex
 * v2.45.1 `cmd/dex/serve.go`, `pprofHandler`). Node has no pprof, so Ferry serves V8's equivalents at the same
 * place (docs/operations.md): a CPU profile (`.cpuprofile`, open it in Chrome DevTools or speedscope), a heap
 * snapshot (`.heapsnapshot`) and the command line. Only on the telemetry port, and only when enabled.
 */

import { Session } from 'node:inspector/promises';
import { getHeapSnapshot } from 'node:v8';
import type { FastifyInstance } from 'fastify';

const INDEX = `<html><head><title>/debug/pprof/</title></head><body>
<p>Ferry profiles (V8 formats, not pprof):</p>
<ul>
<li><a href="profile?seconds=30">profile</a>: CPU profile over <code>seconds</code> (default 30), a .cpuprofile</li>
<li><a href="heap">heap</a>: heap snapshot, a .heapsnapshot</li>
<li><a href="cmdline">cmdline</a>: the command line</li>
</ul></body></html>
`;

/** One CPU profile at a time, as Go's pprof allows. */
let profiling = false;

async function cpuProfile(seconds: number): Promise<object> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.start');
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    const { profile } = await session.post('Profiler.stop');
    return profile;
  } finally {
    session.disconnect();
  }
}

export function registerProfiling(app: FastifyInstance): void {
  app.get('/debug/pprof/', (_req, reply) => reply.type('text/html; charset=utf-8').send(INDEX));
  app.get('/debug/pprof/cmdline', (_req, reply) => reply.type('text/plain; charset=utf-8').send(process.argv.join('\0')));
  app.get('/debug/pprof/profile', async (req, reply) => {
    const raw = (req.query as Record<string, unknown>)['seconds'];
    const seconds = raw === undefined ? 30 : Number(raw);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600) {
      return reply.code(400).type('text/plain; charset=utf-8').send('seconds must be an integer from 1 to 600\n');
    }
    if (profiling) return reply.code(409).type('text/plain; charset=utf-8').send('a CPU profile is already being taken\n');
    profiling = true;
    try {
      const profile = await cpuProfile(seconds);
      return reply
        .type('application/json')
        .header('content-disposition', 'attachment; filename="ferry.cpuprofile"')
        .send(JSON.stringify(profile));
    } finally {
      profiling = false;
    }
  });
  app.get('/debug/pprof/heap', (_req, reply) =>
    reply
      .type('application/json')
      .header('content-disposition', 'attachment; filename="ferry.heapsnapshot"')
      .send(getHeapSnapshot()),
  );
}

// `node --import ./test/helpers/record-imports.mjs …`: prints, at exit, every bare package specifier the process
// resolved (one per line, prefixed `IMPORTED `). Used to check which libraries a module graph loads.
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

const { port1, port2 } = new MessageChannel();
const seen = new Set();
port1.on('message', (s) => seen.add(s));
port1.unref();
register(
  'data:text/javascript,' +
    encodeURIComponent(`let port; export function initialize(d) { port = d.port; }
export async function resolve(s, c, next) { if (!s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !s.startsWith('file:') && !s.startsWith('data:')) port.postMessage(s); return next(s, c); }`),
  { data: { port: port2 }, transferList: [port2] },
);
process.on('exit', () => {
  for (const s of seen) process.stdout.write(`IMPORTED ${s}\n`);
});

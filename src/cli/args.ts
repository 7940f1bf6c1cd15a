/**
 * Command-line parsing, dex-compatible (dex v2.45.1 `cmd/dex/main.go`, `serve.go`): `ferry serve [flags] <config file>`, `ferry version`,
 * `ferry help`, plus Ferry's admin commands over the gRPC API (`ferry client|password|refresh ...`, `admin.ts`). Bare `ferry` prints the help and exits 2, as `dex` does; a bad flag or argument gives a one-line
 * reason plus the help, exit 2.
 */

import { parseArgs as parseNodeArgs } from 'node:util';
import type { AdminGroup } from './admin-command.js';
import { MAX_WORKERS, parseWorkerCount } from './workers.js';

/** What `ferry serve` needs: the config path and the listen-address overrides (dex's serve flags). */
export interface ServeOptions {
  command: 'serve';
  configPath: string;
  webHTTPAddr?: string;
  webHTTPSAddr?: string;
  telemetryAddr?: string;
  grpcAddr?: string;
  /** `--workers N`: serving processes (default: `FERRY_WORKERS`, else one per core; see `workers.ts`). */
  workers?: number;
}

export type ParsedArgs =
  | ServeOptions
  | { command: 'version' }
  /** An admin command over the gRPC API; `argv` is everything after the group word. */
  | { command: 'admin'; group: AdminGroup; argv: string[] }
  /** Print `message` (if any, to stderr) and the usage, then exit with `exitCode`. */
  | { command: 'help'; exitCode: number; message?: string };

export const USAGE = `Ferry: a dex-compatible OpenID Connect identity broker

Usage:
  ferry serve [flags] <config file>   Launch Ferry
  ferry version                       Print the version and exit
  ferry help                          Show this help

Admin commands (over the gRPC API; see "ferry <group> --help"):
  ferry client list|get|create|update|delete
  ferry password list|create|update|delete|verify
  ferry refresh list|revoke

Serve flags (each overrides the config file):
  --web-http-addr <addr>     Web HTTP address
  --web-https-addr <addr>    Web HTTPS address
  --telemetry-addr <addr>    Telemetry address
  --grpc-addr <addr>         gRPC API address
  --workers <n>              Serving processes (default: $FERRY_WORKERS, else one per core)

Example:
  ferry serve examples/config-dev.yaml
`;

const SERVE_FLAGS = {
  'web-http-addr': { type: 'string' },
  'web-https-addr': { type: 'string' },
  'telemetry-addr': { type: 'string' },
  'grpc-addr': { type: 'string' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const usageError = (message: string): ParsedArgs => ({ command: 'help', exitCode: 2, message });

/** Parses `argv` without the node binary and script path (i.e. `process.argv.slice(2)`). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
      return { command: 'help', exitCode: 2 };
    case 'help':
    case '--help':
    case '-h':
      return { command: 'help', exitCode: 0 };
    case 'version':
      return rest.length === 0 ? { command: 'version' } : usageError(`"version" takes no arguments`);
    case 'serve':
      return parseServe(rest);
    case 'client':
    case 'password':
    case 'refresh':
      return { command: 'admin', group: command, argv: rest };
    default:
      return usageError(`unknown command ${JSON.stringify(command)}`);
  }
}

function parseServe(args: string[]): ParsedArgs {
  let parsed;
  try {
    parsed = parseNodeArgs({ args, options: SERVE_FLAGS, allowPositionals: true, strict: true });
  } catch (err) {
    return usageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help', exitCode: 0 };
  if (positionals.length !== 1) {
    return usageError(`"serve" takes exactly one config file argument, got ${positionals.length}`);
  }
  for (const name of ['web-http-addr', 'web-https-addr', 'telemetry-addr', 'grpc-addr'] as const) {
    if (values[name] === '') return usageError(`--${name} needs a non-empty address`);
  }
  const options: ServeOptions = { command: 'serve', configPath: positionals[0] as string };
  if (values.workers !== undefined) {
    const n = parseWorkerCount(values.workers);
    if (n === null) return usageError(`--workers needs a whole number from 1 to ${MAX_WORKERS}, got ${JSON.stringify(values.workers)}`);
    options.workers = n;
  }
  if (values['web-http-addr'] !== undefined) options.webHTTPAddr = values['web-http-addr'];
  if (values['web-https-addr'] !== undefined) options.webHTTPSAddr = values['web-https-addr'];
  if (values['telemetry-addr'] !== undefined) options.telemetryAddr = values['telemetry-addr'];
  if (values['grpc-addr'] !== undefined) options.grpcAddr = values['grpc-addr'];
  return options;
}

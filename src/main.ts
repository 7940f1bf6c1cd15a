#!/usr/bin/env node
/**
 * Ferry's command-line entry (like dex v2.45.1 `cmd/dex/main.go`): parse the arguments and dispatch. The server stack is
 * imported only for `serve` (and the API client only for admin commands), so `ferry version` and `ferry help` start
 * instantly.
 * Exit codes: 0 ok, 1 runtime or config failure, 2 usage error.
 */

import { parseArgs, USAGE } from './cli/args.js';
import { versionText } from './cli/version.js';
import { ConfigError } from './lib/errors.js';

async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  switch (args.command) {
    case 'help':
      if (args.message) process.stderr.write(`ferry: ${args.message}\n\n`);
      (args.exitCode === 0 ? process.stdout : process.stderr).write(USAGE);
      return args.exitCode;
    case 'version':
      process.stdout.write(`${versionText()}\n`);
      return 0;
    case 'serve': {
      const { serve } = await import('./cli/serve.js');
      await serve(args);
      return 0;
    }
    case 'admin': {
      const { runAdmin } = await import('./cli/admin.js');
      return runAdmin(args.group, args.argv);
    }
  }
}

/** Config problems are listed one per line; anything else is reported by its message. */
function report(err: unknown): number {
  if (err instanceof ConfigError) {
    const lines = err.issues.map((i) => `  ${i.path ? `${i.path}: ` : ''}${i.message}`);
    process.stderr.write(`ferry: invalid config:\n${lines.join('\n')}\n`);
  } else {
    process.stderr.write(`ferry: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = report(err);
  },
);

/**
 * `ferry client|password|refresh ...`: a small admin CLI on top of the gRPC API. Flags common to every command:
 * `--grpc-addr` (default 127.0.0.1:5557), `--tls-ca`, `--tls-cert`, `--tls-key`, `--json`, `--help`.
 * Exit codes: 0 done, 1 failure (one line on stderr), 2 usage error (with the command's help).
 */

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { clientCommands } from './admin-clients.js';
import { type AdminCommand, type AdminContext, type AdminGroup, type FlagSpec, type FlagValues } from './admin-command.js';
import { passwordCommands } from './admin-passwords.js';
import { refreshCommands } from './admin-refresh.js';
import { connectApi, describeFailure } from './admin-transport.js';

export const DEFAULT_GRPC_ADDR = '127.0.0.1:5557';

const COMMON_FLAGS: Record<string, FlagSpec> = {
  'grpc-addr': { type: 'string', value: '<host:port>', help: `gRPC API address (default ${DEFAULT_GRPC_ADDR})` },
  'tls-ca': { type: 'string', value: '<file>', help: 'CA certificate to verify the server (enables TLS)' },
  'tls-cert': { type: 'string', value: '<file>', help: 'client certificate for mutual TLS' },
  'tls-key': { type: 'string', value: '<file>', help: 'client key for mutual TLS' },
  json: { type: 'boolean', help: 'print JSON instead of text' },
  help: { type: 'boolean', help: 'show this help' },
};

const COMMANDS: AdminCommand[] = [...clientCommands, ...passwordCommands, ...refreshCommands];

export interface AdminIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readStdin: () => Promise<string>;
}

const processIO: AdminIO = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  readStdin: async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  },
};

function flagLines(flags: Record<string, FlagSpec>): string[] {
  return Object.entries(flags).map(([name, f]) => `  ${`--${name}${f.value ? ` ${f.value}` : ''}`.padEnd(26)} ${f.help}`);
}

export function groupHelp(group: AdminGroup): string {
  const cmds = COMMANDS.filter((c) => c.group === group);
  const lines = cmds.map((c) => `  ferry ${group} ${`${c.verb} ${c.args.map((a) => `<${a}>`).join(' ')}`.padEnd(22)} ${c.summary}`);
  return [`Usage:`, ...lines, '', `Run "ferry ${group} <command> --help" for a command's flags.`, '', 'Common flags:', ...flagLines(COMMON_FLAGS), ''].join('\n');
}

export function commandHelp(c: AdminCommand): string {
  const args = c.args.map((a, i) => (i >= c.args.length - (c.optionalArgs ?? 0) ? `[<${a}>]` : `<${a}>`)).join(' ');
  const parts = [`Usage: ferry ${c.group} ${c.verb} ${args} [flags]`.replace(/ +/g, ' '), '', c.summary, ''];
  if (Object.keys(c.flags).length) parts.push('Flags:', ...flagLines(c.flags), '');
  parts.push('Common flags:', ...flagLines(COMMON_FLAGS), '');
  if (c.examples?.length) parts.push('Examples:', ...c.examples.map((e) => `  ${e}`), '');
  return parts.join('\n');
}

function parse(c: AdminCommand, argv: string[]) {
  const options: ParseArgsConfig['options'] = {};
  for (const [name, f] of Object.entries({ ...COMMON_FLAGS, ...c.flags })) options[name] = { type: f.type, multiple: f.multiple ?? false };
  return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
}

/** Runs `ferry <group> <argv...>`; resolves the exit code. */
export async function runAdmin(group: AdminGroup, argv: string[], io: AdminIO = processIO): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h' || verb === 'help') {
    (verb ? io.stdout : io.stderr)(groupHelp(group));
    return verb ? 0 : 2;
  }
  const command = COMMANDS.find((c) => c.group === group && c.verb === verb);
  if (!command) {
    io.stderr(`ferry: unknown command "${group} ${verb}"\n\n${groupHelp(group)}`);
    return 2;
  }
  let parsed;
  try {
    parsed = parse(command, rest);
  } catch (err) {
    io.stderr(`ferry: ${(err as Error).message.split('\n')[0]}\n\n${commandHelp(command)}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(commandHelp(command));
    return 0;
  }
  const required = command.args.length - (command.optionalArgs ?? 0);
  if (positionals.length < required || positionals.length > command.args.length) {
    const want = command.args.map((a) => `<${a}>`).join(' ') || 'no arguments';
    io.stderr(`ferry: "${group} ${verb}" takes ${want}\n\n${commandHelp(command)}`);
    return 2;
  }
  const addr = typeof values['grpc-addr'] === 'string' ? values['grpc-addr'] : DEFAULT_GRPC_ADDR;
  try {
    const api = connectApi({
      addr,
      tlsCA: values['tls-ca'] as string | undefined,
      tlsCert: values['tls-cert'] as string | undefined,
      tlsKey: values['tls-key'] as string | undefined,
    });
    const ctx: AdminContext = {
      api,
      print: (human, json) => io.stdout(`${values.json ? JSON.stringify(json, null, 2) : human}\n`),
      readStdin: io.readStdin,
    };
    await command.run(ctx, positionals, values as FlagValues);
    return 0;
  } catch (err) {
    io.stderr(`ferry: ${describeFailure(err, addr)}\n`);
    return 1;
  }
}

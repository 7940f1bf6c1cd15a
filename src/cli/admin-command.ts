/**
 * The shape of one admin subcommand (`ferry client create`, ...): its help, its flags and its action. The command
 * tables live in `admin-clients.ts`, `admin-passwords.ts` and `admin-refresh.ts`; `admin.ts` parses and dispatches.
 */

import type { Client } from '@connectrpc/connect';
import type { Dex } from '../api/gen/api_pb.js';

export type AdminGroup = 'client' | 'password' | 'refresh';

export interface FlagSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  /** Placeholder shown in the help, e.g. `<url>`. */
  value?: string;
  help: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface AdminContext {
  api: Client<typeof Dex>;
  /** Prints `human` normally, or `json` (pretty-printed) with `--json`. */
  print(human: string, json: unknown): void;
  /** Reads all of stdin (for `--password-stdin`). */
  readStdin(): Promise<string>;
}

export interface AdminCommand {
  group: AdminGroup;
  verb: string;
  summary: string;
  /** Positional argument names, in order (all required unless listed in `optionalArgs`). */
  args: string[];
  optionalArgs?: number;
  flags: Record<string, FlagSpec>;
  /** Extra help lines (examples). */
  examples?: string[];
  run(ctx: AdminContext, args: string[], flags: FlagValues): Promise<void>;
}

/** An expected failure (not found, already exists, bad input): printed as one line, exit 1. */
export class AdminFailure extends Error {}

export const str = (v: FlagValues[string]): string => (typeof v === 'string' ? v : '');
export const list = (v: FlagValues[string]): string[] => (Array.isArray(v) ? v : []);
export const bool = (v: FlagValues[string]): boolean => v === true;

/** Aligned columns with a header row; `-` for empty cells. */
export function table(head: string[], rows: string[][]): string {
  const all = [head, ...rows.map((r) => r.map((c) => c || '-'))];
  const widths = head.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

/**
 * The benchmark's result model and its two renderings: a fixed-width table for the terminal and a Markdown table
 * (the same figures) that can be pasted into bench/README.md.
 */

import type { LoadResult } from './load.js';

export interface Measured extends LoadResult {
  /** Server CPU (user + system) per operation in the measured window, ms. */
  cpuMsPerOp: number;
  /**
   * The part of `cpuMsPerOp` spent on the server's event loops (main threads), ms: everything but the work Node
   * hands to libuv's pool (signatures, verifications, bcrypt) and V8's helper threads (GC marking, compiling).
   */
  mainMsPerOp: number;
  /** The load generator's own CPU per operation (it shares the 2 cores with the server), ms. */
  clientCpuMsPerOp: number;
  /** The server's largest resident set sampled during the workload (warm-up included), MiB. */
  rssPeakMiB?: number;
}

export interface Row {
  workload: string;
  ferry?: Measured;
  peer?: Measured;
  /** Ferry ops/s ÷ peer ops/s. */
  ratio?: number;
  /** Peer CPU ms/op ÷ Ferry CPU ms/op (higher = Ferry does the same work with less CPU). */
  cpuRatio?: number;
  target: string;
  /**
   * The most server CPU per operation at which the target's ops/s fit on the machine's cores beside the load
   * generator, even at full use of every core: cores × 1000 ÷ target ops/s − the load generator's CPU per operation.
   * Undefined for rows without an ops/s target.
   */
  cpuBudgetMsPerOp?: number;
  /** Undefined when the row has no target (information only). */
  pass?: boolean;
}

export interface Report {
  date: string;
  command: string;
  node: string;
  cpus: number;
  seconds: number;
  rows: Row[];
  notes: NoteRow[];
}

/** The median of `xs` (the lower middle one for an even count), or undefined for none. */
export function median(xs: readonly number[]): number | undefined {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

const f = (n: number | undefined, digits = 1): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(digits));

/** autocannon reports whole milliseconds, so a 0 there means "under 1 ms". */
const ms = (n: number): string => (n === 0 ? '<1' : f(n, 2));

const verdict = (pass: boolean | undefined): string => (pass === undefined ? 'info' : pass ? 'PASS' : 'FAIL');

const columns = [
  'workload', 'Ferry ops/s', 'p50 ms', 'p99 ms', 'cpu ms/op', 'main ms/op', 'RSS MiB',
  'peer ops/s', 'p50 ms', 'p99 ms', 'cpu ms/op', 'main ms/op', 'RSS MiB', 'ratio', 'cpu ratio', 'target', 'cpu ms/op budget', 'result',
];

function cells(r: Row): string[] {
  const m = (x: Measured | undefined): string[] =>
    x ? [f(x.opsPerSec, 0), ms(x.p50), ms(x.p99), f(x.cpuMsPerOp, 3), f(x.mainMsPerOp, 3), f(x.rssPeakMiB)] : ['-', '-', '-', '-', '-', '-'];
  const budget = r.cpuBudgetMsPerOp === undefined ? '-' : f(r.cpuBudgetMsPerOp, 3);
  return [r.workload, ...m(r.ferry), ...m(r.peer), r.ratio ? `${f(r.ratio, 2)}x` : '-', r.cpuRatio ? `${f(r.cpuRatio, 2)}x` : '-', r.target, budget, verdict(r.pass)];
}

/** Rows whose figures are not ops/s (RSS, latency under load) fill the Ferry/peer columns themselves. */
export interface NoteRow {
  workload: string;
  ferry: string;
  peer: string;
  target: string;
  pass?: boolean;
}

function noteCells(n: NoteRow): string[] {
  return [n.workload, n.ferry, '', '', '', '', '', n.peer, '', '', '', '', '', '', '', n.target, '', verdict(n.pass)];
}

export function textTable(rows: Row[], notes: NoteRow[]): string {
  const all = [columns, ...rows.map(cells), ...notes.map(noteCells)];
  const widths = columns.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(all[0] ?? []), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n');
}

export function markdownTable(rows: Row[], notes: NoteRow[]): string {
  const all = [...rows.map(cells), ...notes.map(noteCells)];
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...all.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

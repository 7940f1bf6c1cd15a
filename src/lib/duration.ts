/**
 * Go duration strings (`time.ParseDuration`): `300ms`, `1.5h`, `1h30m`, `-2m`, `0`. Units ns, us (µs, μs), ms, s,
 * m, h; every number needs a unit except a bare `0`; there is no `d`. Ferry keeps durations as milliseconds.
 */

import { own } from './own.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  'µs': 1e-3, // U+00B5 micro sign
  'μs': 1e-3, // U+03BC greek mu
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** The longest Go duration, (2^63 − 1) ns, in milliseconds. */
const MAX_MS = 9_223_372_036_854.775;

/** Parses a Go duration into milliseconds; throws `Error` with Go's wording when the text is not one. */
export function parseDuration(text: string): number {
  const quoted = JSON.stringify(text);
  let s = text;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw new Error(`invalid duration ${quoted}`);
  let total = 0;
  while (s !== '') {
    const num = /^(\d*)(?:\.(\d*))?/.exec(s);
    const whole = num?.[1] ?? '';
    const frac = num?.[2];
    if (whole === '' && (frac === undefined || frac === '')) throw new Error(`invalid duration ${quoted}`);
    s = s.slice(num?.[0].length ?? 0);
    const unit = /^[^\d.]*/.exec(s)?.[0] ?? '';
    if (unit === '') throw new Error(`missing unit in duration ${quoted}`);
    const ms = own(UNIT_MS, unit);
    if (ms === undefined) throw new Error(`unknown unit ${JSON.stringify(unit)} in duration ${quoted}`);
    s = s.slice(unit.length);
    total += Number(`${whole || '0'}.${frac ?? '0'}`) * ms;
  }
  // Go's time.Duration is an int64 of nanoseconds (about 292 years) and ParseDuration refuses more. Ferry would
  // otherwise take the number and fail later, when a date that far out cannot be written.
  if (total > MAX_MS) throw new Error(`invalid duration ${quoted}`);
  return sign * total;
}

/** Formats milliseconds the way Go prints a `time.Duration` (`1h30m0s`, `300ms`, `0s`), for log lines. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const neg = ms < 0;
  let rest = Math.abs(ms);
  if (rest < 1000) return `${neg ? '-' : ''}${rest}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const sec = Number((rest / 1000).toFixed(9));
  const head = h ? `${h}h${m}m` : m ? `${m}m` : '';
  return `${neg ? '-' : ''}${head}${sec}s`;
}

/**
 * Display formatting. Money arrives from the API as integer fen and is shown in yuan with two
 * decimals through the domain's own `formatYuan` (exact, no floating point), grouped by thousands.
 */
import { formatYuan } from '../../src/domain/money.js';
import type { Lang } from './i18n';

/** 123456789 fen → "1,234,567.89" */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return '—';
  const s = formatYuan(Math.trunc(fen));
  const neg = s.startsWith('-');
  const [int, dec] = (neg ? s.slice(1) : s).split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${neg ? '-' : ''}${grouped}.${dec ?? '00'}`;
}

/** "¥1,234.56", "-¥1,234.56" */
export function money(fen: number | null | undefined): string {
  const y = yuan(fen);
  if (y === '—') return y;
  return y.startsWith('-') ? `-¥${y.slice(1)}` : `¥${y}`;
}

/** Fen → yuan as a number, for chart axes only (never for displayed totals). */
export function fenToYuanNumber(fen: number): number {
  return fen / 100;
}

export function int(n: number | null | undefined, lang: Lang = 'zh'): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return Math.round(n).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US');
}

/** A ratio 0.1234 → "12.34%" */
export function pct(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  return `${(ratio * 100).toFixed(digits)}%`;
}

/** A plain decimal with fixed digits (indices such as CMI). */
export function dec(n: number | null | undefined, digits = 4): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toFixed(digits);
}

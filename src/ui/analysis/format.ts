import { COLORS } from '../charts/chart-style';

/** Default series colours, in the order teacher, distilled, scratch, then the spare ones. */
export const SERIES_COLORS = [COLORS.teacher, COLORS.distilled, COLORS.scratch, COLORS.soft, COLORS.hard] as const;

/** recharts leaves a gap for null, whereas NaN (an empty bin, an absent class) would be drawn at 0 or break the scale. */
export const finiteOrNull = (v: number | undefined): number | null => (v != null && Number.isFinite(v) ? v : null);

export const percent1 = (v: number | null | undefined): string => (v != null && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '—');

export const percentTick = (v: number) => `${Math.round(v * 100)}%`;

export const tooltipPercent = (v: unknown) => (typeof v === 'number' ? percent1(v) : String(v));

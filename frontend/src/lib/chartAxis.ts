/**
 * The time axis of the charts (pure: no DOM). Ticks fall on whole days, at most one per label's width,
 * every 1, 2, 3, 7, 14… days — so no two labels read the same date — and are labelled in the phone's
 * locale ("Dec 5", "5 Dec", "5. Dez.").
 */
import type uPlot from 'uplot';

export const DAY_SECONDS = 86_400;
/** The width one date label needs on the axis, with room around it. */
export const LABEL_PX = 64;
const STEPS = [1, 2, 3, 7, 14, 28, 56, 91, 182, 364, 728];
const tickFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' });
const yearTickFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: '2-digit', timeZone: 'UTC' });
/** An axis longer than this names the year too: "Dec 4" would come back a year later. */
const YEAR_SPAN_DAYS = 300;

/** Tick positions (seconds at UTC midnight) between `min` and `max` for an axis `widthPx` wide. */
export function dayTicks(min: number, max: number, widthPx: number): number[] {
  const first = Math.ceil(min / DAY_SECONDS);
  const last = Math.floor(max / DAY_SECONDS);
  if (!Number.isFinite(first) || !Number.isFinite(last) || last < first) return [];
  const room = Math.max(1, Math.floor(widthPx / LABEL_PX));
  const step = STEPS.find((s) => Math.floor((last - first) / s) + 1 <= room) ?? Math.ceil((last - first + 1) / room);
  const ticks: number[] = [];
  for (let day = first; day <= last; day += step) ticks.push(day * DAY_SECONDS);
  return ticks;
}

/** The labels of the ticks: each date in the phone's locale, with the year when the axis spans most of one. */
export function dayLabels(ticks: number[]): string[] {
  const long = ticks.length > 1 && ticks[ticks.length - 1] - ticks[0] > YEAR_SPAN_DAYS * DAY_SECONDS;
  const format = long ? yearTickFormat : tickFormat;
  return ticks.map((seconds) => format.format(new Date(seconds * 1000)));
}

/**
 * The x range from the data's first and last day (not uPlot's own guess, which stretches a single day to
 * 1000 days): the data's own, widened to three days either side when it spans less than two days.
 */
export function dayRange(min: number, max: number): [number, number] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, DAY_SECONDS];
  if (max - min >= 2 * DAY_SECONDS) return [min, max];
  return [min - 3 * DAY_SECONDS, max + 3 * DAY_SECONDS];
}

/** The uPlot settings of a day axis: its ticks (for the plot's width in CSS pixels) and their labels. */
export function dayAxis(): Pick<uPlot.Axis, 'splits' | 'values'> {
  return {
    splits: (u, _axis, min, max) => dayTicks(min, max, u.bbox.width / devicePixelRatio),
    values: (_u, splits) => dayLabels(splits),
  };
}

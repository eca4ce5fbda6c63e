/** Reading the course's own dose plan (no dosing advice: only what the patient entered). */
import type { Course, DosePlanSegment, MgPerKgWeight } from '../types';
import { formattingLocale } from '../i18n/locale';
import { t } from '../i18n';
import { formatTime } from './dates';
import { formatNumber } from './format';

export function segmentOn(course: Course, date: string): DosePlanSegment | null {
  const segments = [...course.dose_plan].sort((a, b) => (a.from_date < b.from_date ? -1 : 1));
  let found: DosePlanSegment | null = null;
  for (const segment of segments) if (segment.from_date <= date) found = segment;
  return found ?? segments[0] ?? null;
}

export function slotTime(course: Course | null, date: string, slot: number): string | null {
  if (!course) return null;
  return segmentOn(course, date)?.dose_times[slot - 1] ?? null;
}

/** Each dose's mg on a day whose planned total is `dayMg`: the prescribed amounts, or an even split. */
export function doseAmounts(segment: DosePlanSegment, dayMg: number): number[] {
  if (segment.doses?.length) return segment.doses.map((d) => d.mg);
  return segment.dose_times.slice(0, segment.doses_per_day).map(() => dayMg / segment.doses_per_day);
}

export function describeSegment(segment: DosePlanSegment): string {
  const and = (items: string[]) => new Intl.ListFormat(formattingLocale(), { type: 'conjunction' }).format(items);
  if (segment.doses?.length) {
    const doses = and(segment.doses.map((d) => t('course.segment.dose', { mg: formatNumber(d.mg), time: formatTime(d.time) })));
    return t('course.segment.per_dose', { doses, daily: formatNumber(segment.daily_mg ?? 0) });
  }
  const amount = segment.cycle_mg?.length
    ? t('course.segment.alternating', { mgs: segment.cycle_mg.map(formatNumber).join(' / ') })
    : t('course.segment.daily', { mg: formatNumber(segment.daily_mg ?? 0) });
  return t('course.segment', { amount, count: segment.doses_per_day, times: and(segment.dose_times.map(formatTime)) });
}

/** The weight mg/kg is counted by: the start weight unless a later one was marked re-based (as the server). */
export function mgPerKgWeight(course: Course): MgPerKgWeight {
  const history = [...(course.weights ?? [])].sort((a, b) => (a.recorded_on < b.recorded_on ? -1 : 1));
  if (!history.length) return { weight_kg: course.weight_kg, recorded_on: null, basis: 'start' };
  const rebased = history.slice(1).filter((w) => w.rebased);
  const point = rebased.length ? rebased[rebased.length - 1] : history[0];
  return { weight_kg: point.weight_kg, recorded_on: point.recorded_on, basis: rebased.length ? 'rebased' : 'start' };
}

/** "by your start weight (70 kg)": which weight a mg/kg figure is counted by, in words. */
export function describeMgPerKgWeight(weight: MgPerKgWeight): string {
  const kg = formatNumber(Math.round(weight.weight_kg * 10) / 10);
  return t(weight.basis === 'rebased' ? 'course.basis.rebased' : 'course.basis.start', { kg });
}

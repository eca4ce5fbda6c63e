/** Reading the course's own dose plan (no dosing advice: only what the patient entered). */
import type { Course, DosePlanSegment, MgPerKgWeight } from '../types';
import { formatTime } from './dates';

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
  if (segment.doses?.length) {
    return segment.doses.map((d) => `${d.mg} mg at ${formatTime(d.time)}`).join(' and ') + ` (${segment.daily_mg} mg a day)`;
  }
  const amount = segment.cycle_mg?.length ? `${segment.cycle_mg.join(' / ')} mg alternating` : `${segment.daily_mg} mg a day`;
  const times = segment.dose_times.map(formatTime).join(' and ');
  return `${amount}, ${segment.doses_per_day === 2 ? 'two doses' : 'one dose'} (${times})`;
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
  const kg = `${Math.round(weight.weight_kg * 10) / 10} kg`;
  return weight.basis === 'rebased' ? `by ${kg}, the weight your prescriber re-based your plan on` : `by your start weight (${kg})`;
}

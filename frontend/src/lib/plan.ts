/** Reading the course's own dose plan (no dosing advice: only what the patient entered). */
import type { Course, DosePlanSegment } from '../types';
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

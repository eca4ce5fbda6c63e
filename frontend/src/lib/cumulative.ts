/** Cumulative dose over time, logged against the course's own plan (pure: no DOM, no network). */
import type { Course, DoseLog } from '../types';
import { addDays } from './dates';
import { pauseOn } from './pauses';
import { doseAmounts, mgPerKgWeight, segmentOn } from './plan';

export interface CumulativeSeries {
  /** One YYYY-MM-DD per day from the start to the last day shown. */
  days: string[];
  /** What the plan adds up to by the end of each day, if every capsule is taken. */
  planned: number[];
  /** What was logged as taken by the end of each day; null after today. */
  logged: (number | null)[];
  /** The cumulative target in mg, or null when the course has none. */
  targetMg: number | null;
  /** Index of today in `days`, or -1 when today is outside the range. */
  todayIndex: number;
}

const MAX_DAYS = 3 * 366;

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Planned mg for a day: the segment in force then, a cycle counted from the segment's first day. */
export function plannedMgOn(course: Course, date: string): number {
  if (date < course.start_date || (course.ended_on && date > course.ended_on)) return 0;
  const segment = segmentOn(course, date);
  if (!segment || date < segment.from_date) return 0;
  const cycle = segment.cycle_mg ?? [];
  if (cycle.length) return cycle[daysBetween(segment.from_date, date) % cycle.length] ?? 0;
  return segment.daily_mg ?? 0;
}

/** The series from the first day to `lastDay` (at least today), at most three years. */
export function cumulativeSeries(course: Course, logs: DoseLog[], today: string, lastDay: string | null): CumulativeSeries {
  const end = [lastDay ?? today, today].sort()[1];
  const length = Math.min(MAX_DAYS, Math.max(1, daysBetween(course.start_date, end) + 1));
  const takenByDay = new Map<string, number>();
  for (const log of logs) {
    if (log.status === 'taken') takenByDay.set(log.date, (takenByDay.get(log.date) ?? 0) + log.mg);
  }
  const days: string[] = [];
  const planned: number[] = [];
  const logged: (number | null)[] = [];
  let plan = 0;
  let taken = 0;
  for (let i = 0; i < length; i++) {
    const day = addDays(course.start_date, i);
    plan += plannedMgOn(course, day);
    taken += takenByDay.get(day) ?? 0;
    days.push(day);
    planned.push(plan);
    logged.push(day <= today ? taken : null);
  }
  const targetMg = course.target_mg_per_kg === null ? null : course.target_mg_per_kg * mgPerKgWeight(course).weight_kg;
  return { days, planned, logged, targetMg, todayIndex: days.indexOf(today) };
}

/** One row a week, plus today and the last day, for the data table beside the chart. */
export function weeklyRows(series: CumulativeSeries): { day: string; week: number; planned: number; logged: number | null }[] {
  const picked = new Set<number>([series.days.length - 1]);
  for (let i = 0; i < series.days.length; i += 7) picked.add(i);
  if (series.todayIndex >= 0) picked.add(series.todayIndex);
  return [...picked]
    .sort((a, b) => a - b).map((i) => ({ day: series.days[i], week: Math.floor(i / 7) + 1, planned: series.planned[i], logged: series.logged[i] }));
}

export interface PlannedSlot {
  date: string;
  slot: number;
  /** "HH:MM" wall-clock time from the plan. */
  time: string;
  mg: number;
}

/** Every planned dose from `from` to `to` inclusive, each with its own mg (or an even split); none on a 0 mg day. */
export function plannedSlots(course: Course, from: string, to: string): PlannedSlot[] {
  const out: PlannedSlot[] = [];
  const pauses = course.pauses ?? [];
  const first = from < course.start_date ? course.start_date : from;
  for (let day = first, n = 0; day <= to && n < MAX_DAYS; day = addDays(day, 1), n++) {
    const mg = plannedMgOn(course, day);
    const segment = segmentOn(course, day);
    if (!segment || mg <= 0 || pauseOn(pauses, day)) continue;
    const amounts = doseAmounts(segment, mg);
    segment.dose_times.slice(0, segment.doses_per_day).forEach((time, i) => out.push({ date: day, slot: i + 1, time, mg: amounts[i] }));
  }
  return out;
}

/** Whether a past milestone happened: from what the patient logged, never guessed for future dates. */
import type { Appointment, AppointmentKind, Milestone } from '../types';

/** not_done / unknown: the patient's own answer about a past visit or test (e.g. before joining). */
export type MilestoneState = 'done' | 'missed' | 'not_done' | 'unknown' | null;

/** Milestone kinds that are visits or tests the patient books, and the appointment kind that fulfils them. */
const BOOKED_AS: Record<string, AppointmentKind> = {
  blood_test: 'blood_test',
  monthly_visit: 'dermatologist_visit',
  pregnancy_test: 'pregnancy_test',
};

/** How far from the milestone's date an appointment of the same kind still counts for it. */
const WINDOW_DAYS = 15;

const dayNumber = (date: string) => Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / 86_400_000;

/**
 * done: a past event the app knows happened (the course started, a cumulative step reached, the last
 * capsule logged) or a visit/test with an appointment of its kind within 15 days. missed: a past
 * visit/test with no such appointment. null: not past yet, or not known (appointments not loaded).
 */
export function milestoneState(milestone: Milestone, today: string, appointments: Appointment[] | null): MilestoneState {
  // The server's word when it gives one; the rest only serves timelines saved on the device before it did.
  if (milestone.state !== undefined && milestone.state !== null) return milestone.state === 'upcoming' ? null : milestone.state;
  if (milestone.date > today) return null;
  const kind = BOOKED_AS[milestone.kind];
  if (!kind) return milestone.estimated ? null : 'done';
  if (!appointments || milestone.date >= today) return null;
  const day = dayNumber(milestone.date);
  const kept = appointments.some(
    (a) => a.kind === kind && a.starts_at.slice(0, 10) <= today && Math.abs(dayNumber(a.starts_at) - day) <= WINDOW_DAYS,
  );
  return kept ? 'done' : 'missed';
}

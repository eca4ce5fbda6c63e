/**
 * What a notification's action buttons do, through the same outbox as the app: stored on the device
 * first, then sent, so they work offline and are never applied twice.
 */
import { getToday } from './db';
import { isoWithOffset } from './dates';
import { logDoseRecord } from './doses';
import { API_BASE } from './http';
import { enqueue, enqueueDoseOnce, flushOutbox, type FlushReport } from './outbox';

export const SNOOZE_MINUTES = 10;

export interface DoseReminder {
  courseId: string;
  date: string;
  slot: number;
  mg: number;
}

export type ActionOutcome = 'sent' | 'queued' | 'already-logged';

function outcomeOf(report: FlushReport): ActionOutcome {
  return report.remaining > 0 ? 'queued' : 'sent';
}

async function loggedOnDevice({ courseId, date, slot }: DoseReminder): Promise<boolean> {
  const saved = await getToday(courseId, date);
  return Boolean(saved && saved.data.date === date && saved.data.doses.some((d) => d.slot === slot && d.status !== 'pending'));
}

/**
 * "Taken" from a reminder: a new log for the slot (fresh dose id, taken now) unless the slot is
 * already logged or queued on this device. The server answers 409 for a slot logged elsewhere,
 * and the outbox drops that record, so the dose is never counted twice.
 */
export async function logTakenFromReminder(dose: DoseReminder): Promise<ActionOutcome> {
  if (await loggedOnDevice(dose)) return 'already-logged';
  const record = logDoseRecord(dose.courseId, { date: dose.date, slot: dose.slot, status: 'taken', mg: dose.mg, taken_at: isoWithOffset() });
  if (!(await enqueueDoseOnce(record))) return 'already-logged';
  return outcomeOf(await flushOutbox());
}

/**
 * "Snooze": the server repeats the reminder once, `minutes` from now. With the occurrence the patient
 * saw, a replay of the same snooze (double tap, outbox retry) returns the same repeat instead of a second.
 */
export async function snoozeReminder(
  reminderId: string,
  occurrenceId: string | null,
  minutes = SNOOZE_MINUTES,
): Promise<ActionOutcome> {
  await enqueue({
    id: crypto.randomUUID(),
    method: 'POST',
    path: `${API_BASE}/reminders/${encodeURIComponent(reminderId)}/snooze`,
    body: occurrenceId ? { minutes, occurrence_id: occurrenceId } : { minutes },
    meta: null,
  });
  return outcomeOf(await flushOutbox());
}

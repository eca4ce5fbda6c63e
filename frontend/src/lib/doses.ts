/** Dose writes as outbox records, and how pending records change what "today" shows. */
import type { DoseCorrection, DoseWrite, MissingLog, Today, TodayDose } from '../types';
import type { BatchMeta, DoseMeta, OutboxRecord } from './db';
import { API_BASE } from './http';

export type NewRecord = Omit<OutboxRecord, 'seq' | 'createdAt' | 'attempts' | 'lastError' | 'nextAttemptAt'>;

export interface DoseView extends TodayDose {
  syncing: boolean;
}

export function dosePath(courseId: string, doseId: string): string {
  return `${API_BASE}/courses/${encodeURIComponent(courseId)}/doses/${encodeURIComponent(doseId)}`;
}

export function doseIdOf(record: Pick<OutboxRecord, 'path'>): string {
  return decodeURIComponent(record.path.slice(record.path.lastIndexOf('/') + 1));
}

/** A new log for one slot; the id is made here so that every replay is the same request. */
export function logDoseRecord(courseId: string, write: DoseWrite): NewRecord & { meta: DoseMeta } {
  const doseId = crypto.randomUUID();
  return {
    id: crypto.randomUUID(),
    method: 'PUT',
    path: dosePath(courseId, doseId),
    body: write,
    meta: { kind: 'dose', courseId, date: write.date, slot: write.slot },
  };
}

/** A correction of a logged dose: `taken_at`, `status` or `mg` (PATCH). */
export function correctDoseRecord(courseId: string, doseId: string, date: string, slot: number, change: DoseCorrection): NewRecord {
  return {
    id: crypto.randomUUID(),
    method: 'PATCH',
    path: dosePath(courseId, doseId),
    body: { ...change },
    meta: { kind: 'dose', courseId, date, slot },
  };
}

/** The most doses one batch request may carry. */
export const BATCH_LIMIT = 1000;

/** Batch records for many past doses, at most BATCH_LIMIT each; every dose gets its own id now, so replays match. */
export function batchRecords(courseId: string, writes: DoseWrite[]): (NewRecord & { meta: BatchMeta })[] {
  const records: (NewRecord & { meta: BatchMeta })[] = [];
  for (let i = 0; i < writes.length; i += BATCH_LIMIT) {
    const chunk = writes.slice(i, i + BATCH_LIMIT).map((write) => ({ id: crypto.randomUUID(), ...write }));
    records.push({
      id: crypto.randomUUID(),
      method: 'POST',
      path: `${API_BASE}/courses/${encodeURIComponent(courseId)}/doses/batch`,
      body: { doses: chunk },
      meta: { kind: 'batch', courseId, items: chunk.map(({ date, slot }) => ({ date, slot })) },
    });
  }
  return records;
}

/** The same doses as single idempotent PUTs (when the server refuses the batch as a whole). */
export function splitBatch(record: OutboxRecord): NewRecord[] {
  const courseId = record.meta?.courseId ?? '';
  const doses = ((record.body as { doses?: (DoseWrite & { id: string })[] } | null)?.doses ?? []);
  return doses.map(({ id, ...write }) => ({
    id: crypto.randomUUID(),
    method: 'PUT',
    path: dosePath(courseId, id),
    body: write,
    meta: { kind: 'dose', courseId, date: write.date, slot: write.slot },
  }));
}

export function undoDoseRecord(courseId: string, doseId: string, date: string, slot: number): NewRecord {
  return {
    id: crypto.randomUUID(),
    method: 'DELETE',
    path: dosePath(courseId, doseId),
    body: null,
    meta: { kind: 'dose', courseId, date, slot },
  };
}

function isDoseRecord(record: OutboxRecord, courseId: string): record is OutboxRecord & { meta: DoseMeta } {
  return record.meta?.kind === 'dose' && record.meta.courseId === courseId;
}

function setSlot(doses: TodayDose[], slot: number, patch: Partial<TodayDose>): TodayDose[] {
  return doses.map((dose) => (dose.slot === slot ? { ...dose, ...patch } : dose));
}

/** What the server now holds after it accepted the record, applied to a saved "today". */
export function applyConfirmed(today: Today, record: OutboxRecord): Today {
  if (record.meta?.kind === 'batch') {
    const done = new Set(record.meta.items.map((item) => `${item.date}|${item.slot}`));
    const missing = today.missing_logs.filter((m) => !done.has(`${m.date}|${m.slot}`));
    const pastDone = record.meta.items.filter((item) => item.date < today.date).length;
    return { ...today, missing_logs: missing, missing_logs_count: Math.max(0, today.missing_logs_count - pastDone) };
  }
  if (!record.meta || record.meta.kind !== 'dose') return today;
  const { date, slot } = record.meta;
  const doseId = doseIdOf(record);
  if (record.method === 'PUT') {
    const write = record.body as DoseWrite;
    if (today.date === date) {
      return {
        ...today,
        doses: setSlot(today.doses, slot, { status: write.status, dose_id: doseId, taken_at: write.taken_at }),
      };
    }
    const missing = today.missing_logs.filter((m) => !(m.date === date && m.slot === slot));
    return { ...today, missing_logs: missing, missing_logs_count: Math.max(0, today.missing_logs_count - (today.missing_logs.length - missing.length)) };
  }
  if (record.method === 'PATCH' && today.date === date) {
    const change = record.body as DoseCorrection;
    return { ...today, doses: today.doses.map((dose) => (dose.slot === slot && dose.dose_id === doseId ? { ...dose, ...change } : dose)) };
  }
  if (record.method === 'DELETE' && today.date === date) {
    return {
      ...today,
      doses: today.doses.map((dose) =>
        dose.slot === slot && dose.dose_id === doseId ? { ...dose, status: 'pending', dose_id: null, taken_at: null } : dose,
      ),
    };
  }
  return today;
}

/** Today's slots and the missing-log list as the patient should see them, pending changes included. */
export function overlayToday(
  today: Today,
  records: OutboxRecord[],
  courseId: string,
): { doses: DoseView[]; missing: MissingLog[]; pendingPast: number } {
  let doses: DoseView[] = today.doses.map((dose) => ({ ...dose, syncing: false }));
  const loggedPast = new Set<string>();
  for (const record of records) {
    if (record.meta?.kind === 'batch' && record.meta.courseId === courseId) {
      for (const item of record.meta.items) loggedPast.add(`${item.date}|${item.slot}`);
      continue;
    }
    if (!isDoseRecord(record, courseId)) continue;
    const { date, slot } = record.meta;
    if (date !== today.date) {
      if (record.method === 'PUT') loggedPast.add(`${date}|${slot}`);
      if (record.method === 'DELETE') loggedPast.delete(`${date}|${slot}`);
      continue;
    }
    if (record.method === 'PUT') {
      const write = record.body as DoseWrite;
      doses = doses.map((dose) =>
        dose.slot === slot
          ? { ...dose, status: write.status, dose_id: doseIdOf(record), taken_at: write.taken_at, syncing: true }
          : dose,
      );
    } else if (record.method === 'PATCH') {
      const change = record.body as DoseCorrection;
      doses = doses.map((dose) => (dose.slot === slot && dose.dose_id === doseIdOf(record) ? { ...dose, ...change, syncing: true } : dose));
    } else if (record.method === 'DELETE') {
      doses = doses.map((dose) =>
        dose.slot === slot ? { ...dose, status: 'pending', dose_id: null, taken_at: null, syncing: true } : dose,
      );
    }
  }
  const missing = today.missing_logs.filter((m) => !loggedPast.has(`${m.date}|${m.slot}`));
  return { doses, missing, pendingPast: loggedPast.size };
}

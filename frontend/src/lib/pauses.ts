/**
 * Pauses of the capsules on the device: the outbox records that start and end one, and the pauses as the
 * patient should see them (the server's, with what is still waiting to be sent laid over them). Their words
 * are in `pauseTexts.ts`, with the screens.
 */
import type { Course, Pause } from '../types';
import type { OutboxRecord, PauseMeta } from './db';
import type { NewRecord } from './doses';
import { API_BASE } from './http';

const pausesPath = (courseId: string) => `${API_BASE}/courses/${encodeURIComponent(courseId)}/pauses`;

/** A new pause from `startedOn`; its id is made here, so a replay of the request stores it once. */
export function startPauseRecord(courseId: string, startedOn: string, reason: string): NewRecord & { meta: PauseMeta } {
  const pause: Pause = { id: crypto.randomUUID(), started_on: startedOn, resumed_on: null, reason };
  return {
    id: crypto.randomUUID(),
    method: 'POST',
    path: pausesPath(courseId),
    body: { id: pause.id, started_on: startedOn, reason },
    meta: { kind: 'pause', courseId, pause },
  };
}

/** "My prescriber says restart": capsules again from `resumedOn`. */
export function endPauseRecord(courseId: string, pause: Pause, resumedOn: string): NewRecord & { meta: PauseMeta } {
  return {
    id: crypto.randomUUID(),
    method: 'PATCH',
    path: `${pausesPath(courseId)}/${encodeURIComponent(pause.id)}`,
    body: { resumed_on: resumedOn },
    meta: { kind: 'pause', courseId, pause: { ...pause, resumed_on: resumedOn } },
  };
}

/** The course's pauses with the pending records laid over them (a started one added, an ended one ended). */
export function effectivePauses(course: Course, records: OutboxRecord[]): Pause[] {
  const byId = new Map((course.pauses ?? []).map((p) => [p.id, p]));
  for (const record of records) {
    if (record.meta?.kind !== 'pause' || record.meta.courseId !== course.id) continue;
    const pending = record.meta.pause;
    byId.set(pending.id, { ...(byId.get(pending.id) ?? pending), resumed_on: pending.resumed_on });
  }
  return [...byId.values()].sort((a, b) => (a.started_on < b.started_on ? -1 : 1));
}

/** The pause covering `date` (YYYY-MM-DD), if any. */
export function pauseOn(pauses: Pause[], date: string): Pause | null {
  return pauses.find((p) => p.started_on <= date && (p.resumed_on === null || date < p.resumed_on)) ?? null;
}

/** The course with one pause added or replaced (what the device shows until the server's copy arrives). */
export function withPause(course: Course, pause: Pause): Course {
  const others = (course.pauses ?? []).filter((p) => p.id !== pause.id);
  return { ...course, pauses: [...others, pause].sort((a, b) => (a.started_on < b.started_on ? -1 : 1)) };
}

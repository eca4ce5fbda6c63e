/** The on-device store (IndexedDB), shared by the page and the service worker. */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { instantMicros } from './dates';
import type { Course, DoseLog, DoseWrite, Fact, Pause, Saved, Session, Timeline, Today } from '../types';

export const DB_NAME = 'clearcourse';
const DB_VERSION = 1;
const TODAY_ENTRIES_KEPT = 21;

export interface DoseMeta {
  kind: 'dose';
  courseId: string;
  date: string;
  slot: number;
}

/** Many past doses logged in one request (POST …/doses/batch), e.g. catching up at onboarding. */
export interface BatchMeta {
  kind: 'batch';
  courseId: string;
  items: { date: string; slot: number }[];
}

/** A pause started (POST) or ended (PATCH); `pause` is the pause as it will be once the server has it. */
export interface PauseMeta {
  kind: 'pause';
  courseId: string;
  pause: Pause;
}

export interface OutboxRecord {
  seq?: number;
  id: string;
  method: 'PUT' | 'DELETE' | 'POST' | 'PATCH';
  path: string;
  body: DoseWrite | Record<string, unknown> | null;
  meta: DoseMeta | BatchMeta | PauseMeta | null;
  createdAt: number;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: number;
}

interface ClearCourseDB extends DBSchema {
  kv: {
    key: string;
    value: unknown;
  };
  today: {
    key: string;
    value: Saved<Today> & { courseId: string };
    indexes: { byCourse: string };
  };
  outbox: {
    key: number;
    value: OutboxRecord;
    indexes: { byId: string };
  };
}

export type Store = IDBPDatabase<ClearCourseDB>;

let dbPromise: Promise<Store> | null = null;

/** Opens (once per context) the database; closes on a version change so other tabs can upgrade. */
export function getDb(): Promise<Store> {
  if (!dbPromise) {
    dbPromise = openDB<ClearCourseDB>(DB_NAME, DB_VERSION, {
      upgrade(db) {
        db.createObjectStore('kv');
        db.createObjectStore('today').createIndex('byCourse', 'courseId');
        db.createObjectStore('outbox', { keyPath: 'seq', autoIncrement: true }).createIndex('byId', 'id', {
          unique: true,
        });
      },
      blocking() {
        void dbPromise?.then((db) => db.close());
        dbPromise = null;
      },
      terminated() {
        dbPromise = null;
      },
    });
  }
  return dbPromise;
}

const todayKey = (courseId: string, date: string) => `${courseId}|${date}`;

let epoch = 0;

/** Changes when the device is wiped; a refresh notes it as it starts (see `Guard`). */
export function deviceEpoch(): number {
  return epoch;
}

/** Called by a wipe before it clears the store: no refresh begun before may write any more. */
export function newDeviceEpoch(): void {
  epoch += 1;
}

/**
 * Whether a refresh's answer may still be saved (not after a wipe, say). A put checks it just before it
 * opens its transaction, so a wipe's clear, a later transaction, comes after any write that passed.
 */
export type Guard = () => boolean;
const always: Guard = () => true;

export async function getSession(): Promise<Session | null> {
  return ((await (await getDb()).get('kv', 'session')) as Session | undefined) ?? null;
}

export async function putSession(session: Session): Promise<void> {
  await (await getDb()).put('kv', session, 'session');
}

/** A caregiver phone's own token (a caregiver credential, never a patient's device token). */
export async function getCaregiverToken(): Promise<string | null> {
  return ((await (await getDb()).get('kv', 'caregiver')) as string | undefined) ?? null;
}

export async function putCaregiverToken(token: string | null): Promise<void> {
  const db = await getDb();
  if (token) await db.put('kv', token, 'caregiver');
  else await db.delete('kv', 'caregiver');
}

/** This device's push subscription as the server knows it (set when reminders are turned on here). */
export interface PushRecord {
  subscriptionId: string;
  endpoint: string;
}

export async function getPushRecord(): Promise<PushRecord | null> {
  return ((await (await getDb()).get('kv', 'push')) as PushRecord | undefined) ?? null;
}

export async function putPushRecord(record: PushRecord | null): Promise<void> {
  const db = await getDb();
  if (record) await db.put('kv', record, 'push');
  else await db.delete('kv', 'push');
}

export async function getCourse(): Promise<Saved<Course> | null> {
  return ((await (await getDb()).get('kv', 'course')) as Saved<Course> | undefined) ?? null;
}

export async function putCourse(course: Course): Promise<Saved<Course>> {
  const saved = { data: course, savedAt: Date.now() };
  await (await getDb()).put('kv', saved, 'course');
  return saved;
}

/** True when `fetched` is the same course as `saved` in an older version (by the server's updated_at). */
export function olderThan(fetched: Course, saved: Course): boolean {
  return fetched.id === saved.id && instantMicros(fetched.updated_at) < instantMicros(saved.updated_at);
}

/**
 * Saves a course read from the server, unless the device holds a newer version of it (saved by a change
 * made after that read began): returns what is saved then, or null when `guard` refused the write.
 */
export async function putFetchedCourse(course: Course, guard: Guard): Promise<Saved<Course> | null> {
  const db = await getDb();
  if (!guard()) return null;
  const tx = db.transaction('kv', 'readwrite');
  const current = (await tx.store.get('course')) as Saved<Course> | undefined;
  if (current && olderThan(course, current.data)) {
    await tx.done;
    return current;
  }
  const saved = { data: course, savedAt: Date.now() };
  await tx.store.put(saved, 'course');
  await tx.done;
  return saved;
}

export async function getTimeline(courseId: string): Promise<Saved<Timeline> | null> {
  return ((await (await getDb()).get('kv', `timeline:${courseId}`)) as Saved<Timeline> | undefined) ?? null;
}

export async function putTimeline(courseId: string, timeline: Timeline, guard = always): Promise<Saved<Timeline> | null> {
  const saved = { data: timeline, savedAt: Date.now() };
  const db = await getDb();
  if (!guard()) return null;
  await db.put('kv', saved, `timeline:${courseId}`);
  return saved;
}

/** The clinical facts and their sources, as last fetched (public data, kept for offline reading). */
export async function getSources(): Promise<Saved<Fact[]> | null> {
  return ((await (await getDb()).get('kv', 'sources')) as Saved<Fact[]> | undefined) ?? null;
}

export async function putSources(facts: Fact[]): Promise<Saved<Fact[]>> {
  const saved = { data: facts, savedAt: Date.now() };
  await (await getDb()).put('kv', saved, 'sources');
  return saved;
}

/** The course's dose logs as last fetched (for the cumulative chart offline). */
export async function getDoseLogs(courseId: string): Promise<Saved<DoseLog[]> | null> {
  return ((await (await getDb()).get('kv', `doses:${courseId}`)) as Saved<DoseLog[]> | undefined) ?? null;
}

export async function putDoseLogs(courseId: string, logs: DoseLog[], guard = always): Promise<Saved<DoseLog[]> | null> {
  const saved = { data: logs, savedAt: Date.now() };
  const db = await getDb();
  if (!guard()) return null;
  await db.put('kv', saved, `doses:${courseId}`);
  return saved;
}

/** The saved "today" for that date, or else the most recent one saved for the course. */
export async function getToday(courseId: string, date: string): Promise<Saved<Today> | null> {
  const db = await getDb();
  const exact = await db.get('today', todayKey(courseId, date));
  if (exact) return exact;
  const all = await db.getAllFromIndex('today', 'byCourse', courseId);
  all.sort((a, b) => (a.data.date < b.data.date ? 1 : -1));
  return all[0] ?? null;
}

export async function putToday(courseId: string, today: Today, guard = always): Promise<Saved<Today> | null> {
  const db = await getDb();
  if (!guard()) return null;
  const entry = { data: today, savedAt: Date.now(), courseId };
  const tx = db.transaction('today', 'readwrite');
  await tx.store.put(entry, todayKey(courseId, today.date));
  const keys = await tx.store.index('byCourse').getAllKeys(courseId);
  const stale = keys.sort().slice(0, Math.max(0, keys.length - TODAY_ENTRIES_KEPT));
  await Promise.all(stale.map((key) => tx.store.delete(key)));
  await tx.done;
  return entry;
}

/** Applies a dose change the server confirmed to the saved "today" views, keeping their savedAt. */
export async function patchSavedToday(meta: { courseId: string }, change: (today: Today) => Today): Promise<void> {
  const db = await getDb();
  const tx = db.transaction('today', 'readwrite');
  let cursor = await tx.store.index('byCourse').openCursor(meta.courseId);
  while (cursor) {
    cursor.update({ ...cursor.value, data: change(cursor.value.data) });
    cursor = await cursor.continue();
  }
  await tx.done;
}

/** Whether an unsent write is about this course (its path is under /courses/{id}/). */
export function writesTo(record: OutboxRecord, courseId: string): boolean {
  return record.path.includes(`/courses/${encodeURIComponent(courseId)}/`);
}

/** Removes a deleted course from this device: its saved copy, views, dose log and unsent writes. */
export async function forgetCourse(courseId: string): Promise<void> {
  const db = await getDb();
  const tx = db.transaction(['kv', 'today', 'outbox'], 'readwrite');
  const kv = tx.objectStore('kv');
  const saved = (await kv.get('course')) as Saved<Course> | undefined;
  if (saved?.data.id === courseId) await kv.delete('course');
  await kv.delete(`timeline:${courseId}`);
  await kv.delete(`doses:${courseId}`);
  for (const key of await tx.objectStore('today').index('byCourse').getAllKeys(courseId)) await tx.objectStore('today').delete(key);
  let cursor = await tx.objectStore('outbox').openCursor();
  while (cursor) {
    if (writesTo(cursor.value, courseId)) await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.done;
}

/** Removes every trace of the account from this device. */
export async function clearEverything(): Promise<void> {
  const db = await getDb();
  const tx = db.transaction(['kv', 'today', 'outbox'], 'readwrite');
  await Promise.all([tx.objectStore('kv').clear(), tx.objectStore('today').clear(), tx.objectStore('outbox').clear()]);
  await tx.done;
}

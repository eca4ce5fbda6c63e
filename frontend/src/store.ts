/** App state as signals, loaded from IndexedDB first and refreshed from the network. */
import { batch, computed, signal } from '@preact/signals';
import { api } from './api';
import { fill, plain } from './i18n/catalog';
import * as db from './lib/db';
import { formatTime, instantOn, isoWithOffset, localDate } from './lib/dates';
import { batchRecords, correctDoseRecord, logDoseRecord, undoDoseRecord } from './lib/doses';
import { deleteAllPhotos } from './lib/photos';
import { effectivePauses, endPauseRecord, pauseOn, startPauseRecord, withPause } from './lib/pauses';
import { keepServerLanguage } from './lib/languageSync';
import { clearPreferences } from './lib/prefs';
import { ApiError, NetworkError } from './lib/http';
import { currentSubscription } from './push';
import { requestBackgroundSync } from './pwa';
import { confirmedWrites, enqueue, withLock, flushOutbox, listOutbox, nextRetryAt, onOutboxChange, type FlushReport } from './lib/outbox';
import type { Course, DoseStatus, DoseWrite, Pause, Saved, Session, Timeline, Today } from './types';

export const session = signal<Session | null>(null);
export const course = signal<Course | null>(null);
export const today = signal<Saved<Today> | null>(null);
export const timeline = signal<Saved<Timeline> | null>(null);
export const outboxRecords = signal<db.OutboxRecord[]>([]);
export const booted = signal(false);
export const browserOnline = signal(navigator.onLine);
export const networkDown = signal(false);
export const syncProblem = signal<string | null>(null);
export const announcement = signal('');
export const noCourseOnServer = signal(false);
/** Set when the server no longer knows this device's token (account erased or device removed elsewhere). */
export const unlinked = signal(false);

export const offline = computed(() => !browserOnline.value || networkDown.value);
/** The current course's pauses as the patient should see them, pending starts and restarts included. */
export const pauses = computed<Pause[]>(() => (course.value ? effectivePauses(course.value, outboxRecords.value) : []));
/** The pause covering the course's today, if any (the course must not have ended before it). */
export const currentPause = computed<Pause | null>(() => {
  const current = course.value;
  if (!current) return null;
  const day = courseToday();
  if (current.ended_on && current.ended_on < day) return null;
  return pauseOn(pauses.value, day);
});
export const pendingCount = computed(() => outboxRecords.value.length);

/** Says something to screen readers through the app's polite live region. */
export function announce(message: string): void {
  announcement.value = '';
  queueMicrotask(() => {
    announcement.value = message;
  });
}

export function courseToday(): string {
  return localDate(course.value?.timezone ?? '');
}

function pickCourse(courses: Course[]): Course | null {
  const sorted = [...courses].sort((a, b) => (a.created_at < b.created_at ? 1 : -1));
  return sorted.find((c) => !c.ended_on) ?? sorted[0] ?? null;
}

async function online<T>(call: () => Promise<T>): Promise<T> {
  try {
    const result = await call();
    networkDown.value = false;
    return result;
  } catch (error) {
    if (error instanceof NetworkError) networkDown.value = true;
    throw error;
  }
}

/** Bumped by every change of the course made on this device: a read of it that began before is older. */
let courseWrites = 0;

/**
 * For a refresh starting now: its answer may be saved while the device was not wiped (`wiped()`) and the
 * course was not changed on this device (`valid()`) since.
 */
function refreshGuard(): { wiped: () => boolean; valid: db.Guard } {
  const epoch = db.deviceEpoch();
  const writes = courseWrites;
  const wiped = () => epoch !== db.deviceEpoch();
  return { wiped, valid: () => !wiped() && writes === courseWrites };
}

/**
 * Fetches one view of the current course and saves it, reading again (at most 3 reads) when the course
 * was changed on this device meanwhile or, with `afterDoseWrites`, a dose write was confirmed meanwhile;
 * saves nothing once the device was wiped.
 */
async function refreshView<T>(
  fetch: (current: Course) => Promise<T>,
  put: (courseId: string, data: T, guard: db.Guard) => Promise<Saved<T> | null>,
  target: { value: Saved<T> | null },
  afterDoseWrites = false,
): Promise<void> {
  const { wiped } = refreshGuard();
  for (let attempt = 0; attempt < 3 && !wiped(); attempt++) {
    const current = course.value;
    if (!current) return;
    const { valid } = refreshGuard();
    const before = confirmedWrites();
    const fresh = await online(() => fetch(current));
    if (afterDoseWrites && before !== confirmedWrites()) continue;
    const saved = await put(current.id, fresh, valid);
    if (!saved) continue; // wiped, or the course changed meanwhile: read again
    target.value = saved;
    return;
  }
}

export function refreshToday(): Promise<void> {
  return refreshView((current) => api.today(current.id, courseToday()), db.putToday, today, true);
}

export function refreshTimeline(): Promise<void> {
  return refreshView((current) => api.timeline(current.id, courseToday()), db.putTimeline, timeline);
}

/** Saves a change of the course made on this device (the server's answer to it). */
export async function setCourse(next: Course): Promise<void> {
  courseWrites += 1;
  course.value = (await db.putCourse(next)).data;
}

/** After the server deleted a course: forget it here too, then show the patient's other course, if any. */
export async function courseDeleted(courseId: string): Promise<void> {
  courseWrites += 1;
  await withLock(() => db.forgetCourse(courseId));
  if (course.value?.id === courseId) {
    batch(() => {
      course.value = null;
      today.value = null;
      timeline.value = null;
    });
  }
  outboxRecords.value = outboxRecords.value.filter((record) => !db.writesTo(record, courseId));
  await refreshAll();
}

/** Reloads the course list, today and the timeline; keeps what is saved when the network fails. */
export async function refreshAll(): Promise<void> {
  if (!session.value) return;
  const { wiped, valid } = refreshGuard();
  try {
    const courses = await online(() => api.courses());
    if (wiped()) return;
    // A course changed on this device after the list was read is newer than the list: it stays.
    if (valid()) {
      const current = pickCourse(courses);
      noCourseOnServer.value = !current;
      if (!current) {
        course.value = null;
        return;
      }
      const switching = current.id !== course.value?.id;
      const [savedToday, savedTimeline] = switching
        ? await Promise.all([db.getToday(current.id, localDate(current.timezone)), db.getTimeline(current.id)])
        : [null, null];
      const saved = await db.putFetchedCourse(current, valid);
      if (saved) {
        batch(() => {
          if (switching) {
            today.value = savedToday;
            timeline.value = savedTimeline;
          }
          course.value = saved.data;
        });
      }
    }
    if (wiped()) return;
    // Online and linked: the patient's stored language catches up with this device's (not awaited: the
    // screens do not wait for it; a failure is asked again at the next refresh).
    void keepServerLanguage().catch(() => undefined);
    await Promise.all([refreshToday(), refreshTimeline()]);
  } catch (error) {
    if (wiped()) return; // a 401 after "Delete everything" is expected, not an unlinked device
    if (error instanceof ApiError && error.status === 401) await forgetUnlinkedDevice();
    else if (!(error instanceof NetworkError)) throw error;
  }
}

/**
 * The server answered 401 for this device's token: the account was erased (or this device removed)
 * elsewhere. Nothing here can be saved any more, so the device's copy goes and set-up starts again.
 */
async function forgetUnlinkedDevice(): Promise<void> {
  await forgetEverything();
  noCourseOnServer.value = true;
  unlinked.value = true;
}

async function reloadOutbox(): Promise<void> {
  outboxRecords.value = await listOutbox();
}

/** Re-reads the saved "today" and the outbox together, so a confirmed write never flickers back to pending. */
async function reloadLocal(): Promise<void> {
  const current = course.value;
  const [savedToday, records] = await Promise.all([current ? db.getToday(current.id, courseToday()) : null, listOutbox()]);
  batch(() => {
    if (current) today.value = savedToday;
    outboxRecords.value = records;
  });
}

const STALE_AFTER_MS = 10 * 60_000;

let retryTimer: ReturnType<typeof setTimeout> | undefined;

function scheduleRetry(at: number | null): void {
  clearTimeout(retryTimer);
  if (at === null) return;
  retryTimer = setTimeout(() => void sync({ force: false }), Math.max(1000, at - Date.now()));
}

function describe(report: FlushReport): void {
  if (report.rejected.length) {
    syncProblem.value = fill('shell.sync.rejected', { count: report.rejected.length, reason: report.rejected[0].message });
    announce(syncProblem.value);
  } else if (report.sent && !report.remaining) {
    syncProblem.value = null;
    announce(plain('shell.sync.done'));
  }
}

/** Flushes the outbox and brings the screen up to date with what the server now holds. */
export async function sync({ force = true } = {}): Promise<void> {
  if (!session.value) return;
  let report: FlushReport;
  try {
    report = await flushOutbox({ force });
  } finally {
    await reloadLocal();
  }
  networkDown.value = report.stopped === 'offline';
  if (report.stopped === 'unauthorized') return forgetUnlinkedDevice();
  describe(report);
  scheduleRetry(report.stopped === 'offline' || report.stopped === 'backoff' ? await nextRetryAt() : null);
  if (report.sent || report.conflicts.length) {
    if (report.conflicts.length) announce(plain('shell.announce.conflict'));
    await refreshToday().catch(() => undefined);
  }
}

/**
 * Logs a slot as taken or skipped: stored on the device at once, then sent. `at` is the "HH:MM" the
 * patient said it was taken; without it a dose of today is taken now and an earlier one at its slot time.
 */
export async function logDose(
  date: string,
  slot: number,
  mg: number,
  status: Exclude<DoseStatus, 'pending' | 'paused'>,
  time: string | null,
  at: string | null = null,
): Promise<void> {
  const current = course.value;
  if (!current) return;
  const isToday = date === courseToday();
  const takenAt = status === 'taken' ? (at ? instantOn(date, at) : isToday ? isoWithOffset() : instantOn(date, time ?? '12:00')) : null;
  await enqueue(logDoseRecord(current.id, { date, slot, status, mg, taken_at: takenAt }));
  await reloadOutbox();
  announce(fill(status === 'taken' ? 'shell.announce.taken' : 'shell.announce.skipped', { slot }));
  void requestBackgroundSync();
  void sync();
}

/** Logs many past doses at once (catching up): batch requests through the outbox, then sent. */
export async function logMany(writes: DoseWrite[], message: string): Promise<void> {
  const current = course.value;
  if (!current || !writes.length) return;
  for (const record of batchRecords(current.id, writes)) await enqueue(record);
  await reloadOutbox();
  announce(message);
  void requestBackgroundSync();
  void sync();
}

/** Corrects when a logged dose was taken ("HH:MM" on its day), through the outbox (PATCH). */
export async function correctDoseTime(date: string, slot: number, doseId: string, at: string): Promise<void> {
  const current = course.value;
  if (!current) return;
  await enqueue(correctDoseRecord(current.id, doseId, date, slot, { taken_at: instantOn(date, at) }));
  await reloadOutbox();
  announce(fill('shell.announce.time_changed', { slot, time: formatTime(at) }));
  void requestBackgroundSync();
  void sync();
}

export async function undoDose(date: string, slot: number, doseId: string): Promise<void> {
  const current = course.value;
  if (!current) return;
  await enqueue(undoDoseRecord(current.id, doseId, date, slot));
  await reloadOutbox();
  announce(fill('shell.announce.undone', { slot }));
  void requestBackgroundSync();
  void sync();
}

/**
 * Records a pause through the outbox (so it works offline and is stored once) and shows it at once:
 * the device's course carries it until the server's copy arrives.
 */
async function writePause(record: ReturnType<typeof startPauseRecord>, message: string): Promise<void> {
  const current = course.value;
  if (!current) return;
  await enqueue(record);
  await setCourse(withPause(current, record.meta.pause));
  await reloadOutbox();
  announce(message);
  void requestBackgroundSync();
  void sync().then(refreshAll).catch(() => undefined);
}

/** "I have stopped my capsules": a pause from `startedOn` for `reason` (a red flag key, mood_check, prescriber). */
export async function startPause(startedOn: string, reason: string): Promise<void> {
  const current = course.value;
  if (!current) return;
  await writePause(startPauseRecord(current.id, startedOn, reason), plain('shell.announce.paused'));
}

/** "My prescriber says restart": capsules (and their reminders) again from `resumedOn`. */
export async function endPause(pause: Pause, resumedOn: string): Promise<void> {
  const current = course.value;
  if (!current) return;
  await writePause(endPauseRecord(current.id, pause, resumedOn), plain('shell.announce.restarted'));
}

/** Saves a fresh account and its first course on this device. */
export async function adoptSession(next: Session): Promise<void> {
  await db.putSession(next);
  session.value = next;
  unlinked.value = false;
}

/** Removes the account from this device; skin photos too unless `keepPhotos` (joining another account). */
export async function forgetEverything({ keepPhotos = false } = {}): Promise<void> {
  db.newDeviceEpoch(); // first: refreshes still running write nothing from now on
  clearTimeout(retryTimer);
  await currentSubscription()
    .then((subscription) => subscription?.unsubscribe())
    .catch(() => undefined);
  await withLock(() => db.clearEverything());
  clearPreferences();
  if (!keepPhotos) await deleteAllPhotos().catch(() => undefined);
  session.value = null;
  course.value = null;
  today.value = null;
  timeline.value = null;
  outboxRecords.value = [];
  syncProblem.value = null;
}

/** Loads what is saved on the device, then refreshes and flushes in the background. */
export async function boot(): Promise<void> {
  session.value = await db.getSession();
  const savedCourse = await db.getCourse();
  course.value = savedCourse?.data ?? null;
  if (course.value) {
    today.value = await db.getToday(course.value.id, courseToday());
    timeline.value = await db.getTimeline(course.value.id);
  }
  await reloadOutbox();
  booted.value = true;

  onOutboxChange((event) => {
    void reloadLocal();
    if (event.report?.sent) void refreshToday().catch(() => undefined);
  });
  addEventListener('online', () => {
    browserOnline.value = true;
    void sync().then(refreshAll);
  });
  addEventListener('offline', () => {
    browserOnline.value = false;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible') return;
    void sync().then(() => {
      const saved = today.value;
      if (!saved || saved.data.date !== courseToday() || Date.now() - saved.savedAt > STALE_AFTER_MS) return refreshAll();
    });
  });

  if (session.value) {
    await sync().catch(() => undefined);
    await refreshAll();
  }
}

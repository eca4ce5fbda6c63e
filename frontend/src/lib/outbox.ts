/**
 * The write outbox: every change is stored on the device first, then sent in order.
 * Importable by the page and the service worker; a Web Lock keeps two contexts from sending at once.
 */
import { applyConfirmed, splitBatch, type NewRecord } from './doses';
import { getDb, getSession, patchSavedToday, type DoseMeta, type OutboxRecord } from './db';
import { ApiError, NetworkError, request } from './http';

const LOCK_NAME = 'clearcourse-outbox';
const CHANNEL_NAME = 'clearcourse-outbox';
const MAX_BACKOFF_MS = 5 * 60_000;

export interface FlushReport {
  sent: number;
  conflicts: DoseMeta[];
  rejected: { record: OutboxRecord; message: string }[];
  stopped: 'offline' | 'unauthorized' | 'backoff' | null;
  remaining: number;
}

export interface OutboxEvent {
  type: 'outbox-changed';
  report: FlushReport | null;
}

type Listener = (event: OutboxEvent) => void;
let confirmed = 0;
const listeners = new Set<Listener>();
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL_NAME) : null;
channel?.addEventListener('message', (event: MessageEvent<OutboxEvent>) => {
  // Writes the service worker or another tab confirmed make a read begun before them stale here too.
  const report = event.data.report;
  if (report) confirmed += report.sent;
  for (const listener of listeners) listener(event.data);
});

/** Calls back whenever another tab or the service worker changed the outbox. */
export function onOutboxChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function announce(report: FlushReport | null): void {
  const event: OutboxEvent = { type: 'outbox-changed', report };
  channel?.postMessage(event);
}

export async function listOutbox(): Promise<OutboxRecord[]> {
  return (await getDb()).getAll('outbox');
}

export async function enqueue(record: NewRecord): Promise<OutboxRecord> {
  const full: OutboxRecord = {
    ...record,
    createdAt: Date.now(),
    attempts: 0,
    lastError: null,
    nextAttemptAt: 0,
  };
  full.seq = await (await getDb()).add('outbox', full);
  announce(null);
  return full;
}

/**
 * Queues a dose log unless a log for the same course, date and slot is already waiting.
 * Check and add run in one IndexedDB transaction, so two quick taps (or a notification action and
 * the app) cannot queue the slot twice. Returns null when one was already queued.
 */
export async function enqueueDoseOnce(record: NewRecord & { meta: DoseMeta }): Promise<OutboxRecord | null> {
  const db = await getDb();
  const tx = db.transaction('outbox', 'readwrite');
  const queued = await tx.store.getAll();
  const { courseId, date, slot } = record.meta;
  const duplicate = queued.some(
    (q) => q.method === 'PUT' && q.meta?.kind === 'dose' && q.meta.courseId === courseId && q.meta.date === date && q.meta.slot === slot,
  );
  if (duplicate) {
    await tx.done;
    return null;
  }
  const full: OutboxRecord = { ...record, createdAt: Date.now(), attempts: 0, lastError: null, nextAttemptAt: 0 };
  full.seq = await tx.store.add(full);
  await tx.done;
  announce(null);
  return full;
}

let localChain: Promise<unknown> = Promise.resolve();

/** Runs `task` while no other tab or the service worker is sending (also used to wipe the store safely). */
export function withLock<T>(task: () => Promise<T>): Promise<T> {
  const locks = (self.navigator as Navigator | undefined)?.locks;
  if (locks?.request) return locks.request(LOCK_NAME, task) as Promise<T>;
  const run = localChain.then(task, task);
  localChain = run.catch(() => undefined);
  return run;
}

async function firstRecord(): Promise<OutboxRecord | undefined> {
  const cursor = await (await getDb()).transaction('outbox').store.openCursor();
  return cursor?.value;
}

async function remove(record: OutboxRecord): Promise<void> {
  await (await getDb()).delete('outbox', record.seq!);
}

async function replaceWith(record: OutboxRecord, replacements: NewRecord[]): Promise<void> {
  const tx = (await getDb()).transaction('outbox', 'readwrite');
  await tx.store.delete(record.seq!);
  for (const next of replacements) await tx.store.add({ ...next, createdAt: Date.now(), attempts: 0, lastError: null, nextAttemptAt: 0 });
  await tx.done;
}

async function retryLater(record: OutboxRecord, message: string): Promise<void> {
  const attempts = record.attempts + 1;
  const delay = Math.min(MAX_BACKOFF_MS, 2 ** attempts * 1000);
  await (await getDb()).put('outbox', { ...record, attempts, lastError: message, nextAttemptAt: Date.now() + delay });
}

/** How many writes were confirmed here or, as reported, elsewhere; a read that started before a change is stale. */
export function confirmedWrites(): number {
  return confirmed;
}

async function confirm(record: OutboxRecord): Promise<void> {
  confirmed += 1;
  await remove(record);
  if (record.meta) await patchSavedToday(record.meta, (today) => applyConfirmed(today, record));
}

function isTransient(error: unknown): boolean {
  return error instanceof NetworkError || (error instanceof ApiError && (error.status >= 500 || error.status === 429 || error.status === 408));
}

async function drain(force: boolean): Promise<FlushReport> {
  const report: FlushReport = { sent: 0, conflicts: [], rejected: [], stopped: null, remaining: 0 };
  const session = await getSession();
  for (let record = await firstRecord(); record && session; record = await firstRecord()) {
    if (!force && record.nextAttemptAt > Date.now()) {
      report.stopped = 'backoff';
      break;
    }
    try {
      await request(record.method, record.path, { token: session.token, body: record.body ?? undefined });
      await confirm(record);
      report.sent += 1;
    } catch (error) {
      if (isTransient(error)) {
        await retryLater(record, (error as Error).message);
        report.stopped = 'offline';
        break;
      }
      if (!(error instanceof ApiError)) throw error;
      if (error.status === 401) {
        // Left as it is: the page forgets the unlinked device's data, and a put here could bring it back.
        report.stopped = 'unauthorized';
        break;
      }
      if (record.meta?.kind === 'batch' && [404, 405, 409].includes(error.status)) {
        // All-or-nothing: one dose already logged differently (409), or a server without batches, would
        // lose them all. Send them one by one instead; each PUT is idempotent and conflicts alone.
        await replaceWith(record, splitBatch(record));
        continue;
      }
      await remove(record);
      if (error.status === 409) {
        if (record.meta?.kind === 'dose') report.conflicts.push(record.meta);
      } else if (error.status === 404 && record.method === 'DELETE') {
        report.sent += 1;
      } else {
        report.rejected.push({ record, message: error.message });
      }
    }
  }
  report.remaining = await (await getDb()).count('outbox');
  return report;
}

/**
 * Sends queued writes oldest first. 2xx and 409 (already logged) complete a record; a network error
 * or 5xx keeps it with backoff and stops; 401 stops; any other 4xx drops it and reports why.
 * `force` ignores the backoff (used on app start, `online`, visibility and right after a write).
 */
export async function flushOutbox({ force = true } = {}): Promise<FlushReport> {
  const report = await withLock(() => drain(force));
  if (report.sent || report.conflicts.length || report.rejected.length || report.stopped) announce(report);
  return report;
}

/** When the oldest queued record may be retried, or null when the outbox is empty. */
export async function nextRetryAt(): Promise<number | null> {
  const record = await firstRecord();
  return record ? record.nextAttemptAt : null;
}

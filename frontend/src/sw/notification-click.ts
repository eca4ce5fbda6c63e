/** What a tap on a reminder does: Taken and Snooze go through the outbox; anything else opens the right screen. */
import { logTakenFromReminder, snoozeReminder, type ActionOutcome } from '../lib/reminder-actions';
import { OUTBOX_SYNC_TAG } from './constants';
import { doseOf, safePath, type ReminderPayload } from './payload';

declare let self: ServiceWorkerGlobalScope;

export type ClickOutcome = ActionOutcome | 'opened';

type SyncRegistration = ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } };

/** Focuses an open ClearCourse window and routes it (no reload), or opens a new one. */
async function openApp(path: string): Promise<void> {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const client = windows.find((c) => c.focused) ?? windows[0];
  if (client) {
    await client.focus().catch(() => undefined);
    client.postMessage({ type: 'NAVIGATE', url: path });
    return;
  }
  await self.clients.openWindow(path);
}

async function retryWhenOnline(outcome: ActionOutcome): Promise<ActionOutcome> {
  if (outcome === 'queued') await (self.registration as SyncRegistration).sync?.register(OUTBOX_SYNC_TAG).catch(() => undefined);
  return outcome;
}

/** Shared by `notificationclick` and the browser-test hook: `data` is the notification's data. */
export async function respondToClick(action: string, data: unknown): Promise<ClickOutcome> {
  const payload = (data && typeof data === 'object' ? data : {}) as Partial<ReminderPayload>;
  const path = safePath(payload.url, self.location.origin);
  if (action === 'taken') {
    const dose = doseOf(payload);
    if (dose) return retryWhenOnline(await logTakenFromReminder(dose));
  }
  if (action === 'snooze' && typeof payload.reminder_id === 'string' && payload.reminder_id) {
    return retryWhenOnline(await snoozeReminder(payload.reminder_id, payload.occurrence_id ?? null));
  }
  await openApp(path);
  return 'opened';
}

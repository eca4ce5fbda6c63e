/** The reminder push payload (backend/reminders/texts.py `payload`) read defensively, and the notification it becomes. */
import { language, type Language } from '../i18n/locale';
import { localised } from '../lib/local-text';
import { lockScreenText, type LockScreenWording } from '../lib/lockScreen';
import type { DoseReminder } from '../lib/reminder-actions';

export type ReminderAction = 'taken' | 'snooze';

export interface ReminderPayload {
  title: string;
  body: string;
  tag: string;
  url: string;
  kind: string;
  occurrence_id: string | null;
  reminder_id: string | null;
  course_id: string | null;
  date: string | null;
  slot: number | null;
  mg: number | null;
  appointment_id: string | null;
  actions: { action: ReminderAction; title: string }[];
}

/** NotificationOptions as a service worker may use them (the DOM typings leave some out). */
export interface PersistentNotificationOptions extends NotificationOptions {
  actions?: { action: string; title: string }[];
  renotify?: boolean;
  requireInteraction?: boolean;
}

/** Shown only for a push without a payload (the server always sends one), in the phone's language: the
 * service worker has no catalog. */
const FALLBACK: Record<Language, { title: string; body: string }> = {
  en: { title: 'ClearCourse reminder', body: 'Open ClearCourse to see what is due.' },
  es: { title: 'Recordatorio de ClearCourse', body: 'Abre ClearCourse para ver qué toca.' },
  de: { title: 'Erinnerung von ClearCourse', body: 'Öffne ClearCourse, um zu sehen, was ansteht.' },
};
const FALLBACK_TAG = 'clearcourse-reminder';
const ICON = '/icons/icon-192.png';
const BADGE = '/icons/badge-96.png';
const KNOWN_ACTIONS: readonly ReminderAction[] = ['taken', 'snooze'];
const STICKY_KINDS = new Set(['dose', 'dose_followup']);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const text = (value: unknown, max: number): string | null =>
  typeof value === 'string' && value.trim() ? value.slice(0, max) : null;

const finite = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** Only same-origin paths: a payload must not send the patient elsewhere. */
export function safePath(value: unknown, origin: string): string {
  if (typeof value !== 'string') return '/';
  try {
    const url = new URL(value, origin);
    return url.origin === origin ? url.pathname + url.search + url.hash : '/';
  } catch {
    return '/';
  }
}

function actionsOf(value: unknown): ReminderPayload['actions'] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    const action = (item as { action?: unknown })?.action;
    const title = text((item as { title?: unknown })?.title, 40);
    return KNOWN_ACTIONS.includes(action as ReminderAction) && title ? [{ action: action as ReminderAction, title }] : [];
  });
}

/** The payload as an object, or null when it is missing or unreadable (the caller still shows a notification). */
export function parsePayload(raw: unknown, origin: string): ReminderPayload | null {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return null;
  const data = raw as Record<string, unknown>;
  const title = text(data.title, 120);
  if (!title) return null;
  const occurrence = text(data.occurrence_id, 64);
  const written = localised(data.local, title, text(data.body, 300) ?? '');
  return {
    title: written.title,
    body: written.body,
    tag: text(data.tag, 64) ?? occurrence ?? FALLBACK_TAG,
    url: safePath(data.url, origin),
    kind: text(data.kind, 40) ?? 'reminder',
    occurrence_id: occurrence,
    reminder_id: text(data.reminder_id, 64),
    course_id: text(data.course_id, 64),
    date: typeof data.date === 'string' && DATE.test(data.date) ? data.date : null,
    slot: finite(data.slot),
    mg: finite(data.mg),
    appointment_id: text(data.appointment_id, 64),
    actions: actionsOf(data.actions),
  };
}

/** Reads `event.data` without throwing: JSON first, then nothing. */
export function readPushData(data: PushMessageData | null, origin: string): ReminderPayload | null {
  if (!data) return null;
  try {
    return parsePayload(data.json(), origin);
  } catch {
    return null;
  }
}

/** The dose a "Taken" action would log, when the payload names one completely. */
export function doseOf(payload: Partial<ReminderPayload> | null | undefined): DoseReminder | null {
  if (!payload || (payload.kind !== 'dose' && payload.kind !== 'dose_followup')) return null;
  const { course_id, date, slot, mg } = payload;
  if (!course_id || !date || !DATE.test(date) || !Number.isInteger(slot) || slot! < 1 || mg === null || mg === undefined || !(mg >= 0)) return null;
  return { courseId: course_id, date, slot: slot!, mg };
}

/** The title and options to show; `maxActions` is 0 where the browser has no action buttons. */
export function notificationFor(
  payload: ReminderPayload | null,
  maxActions: number,
  wording: LockScreenWording = 'full',
): { title: string; options: PersistentNotificationOptions } {
  if (!payload) {
    const { title, body } = FALLBACK[language.value];
    return { title, options: { body, tag: FALLBACK_TAG, icon: ICON, badge: BADGE, data: { url: '/' } } };
  }
  const usable = payload.actions.filter((a) => (a.action === 'taken' ? doseOf(payload) !== null : Boolean(payload.reminder_id)));
  const shown = lockScreenText(payload.kind, payload.title, payload.body, wording);
  const options: PersistentNotificationOptions = {
    body: shown.body,
    tag: payload.tag,
    renotify: true,
    icon: ICON,
    badge: BADGE,
    data: payload,
    requireInteraction: STICKY_KINDS.has(payload.kind),
  };
  if (maxActions > 0 && usable.length) options.actions = usable.slice(0, maxActions);
  return { title: shown.title, options };
}

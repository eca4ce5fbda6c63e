/**
 * Reminder texts with times and days written the way this phone writes them. The server
 * (backend/reminders/texts.py `texts_with_local`) sends English `title` / `body` plus `local`: the texts
 * with `{name}` placeholders and each one's value, a wall-clock "HH:MM" or a date "YYYY-MM-DD".
 * Used by the service worker for notifications and by the app for the reminder agenda.
 */
import { formatTime, formatWeekdayDate } from './dates';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const PLACEHOLDER = /\{(\w+)\}/g;

/** A `{name}` value written the way this phone writes times and days; null when it is neither. */
function localValue(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  if (TIME.test(value)) return formatTime(value);
  if (DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return formatWeekdayDate(value);
  return null;
}

/** The template with every `{name}` written out, or null when one of them has no usable value. */
function localText(template: unknown, values: Record<string, unknown>, max: number): string | null {
  if (typeof template !== 'string' || !template.trim()) return null;
  let complete = true;
  const out = template.slice(0, max).replace(PLACEHOLDER, (_, name: string) => {
    const written = Object.prototype.hasOwnProperty.call(values, name) ? localValue(values[name]) : null;
    if (written === null) complete = false;
    return written ?? '';
  });
  return complete ? out : null;
}

/** Title and body in this phone's format; whatever in `local` is missing or unusable keeps the English text. */
export function localised(local: unknown, title: string, body: string): { title: string; body: string } {
  if (!local || typeof local !== 'object' || Array.isArray(local)) return { title, body };
  const { values } = local as { values?: unknown };
  if (!values || typeof values !== 'object' || Array.isArray(values)) return { title, body };
  const entries = values as Record<string, unknown>;
  return {
    title: localText((local as { title?: unknown }).title, entries, 120) ?? title,
    body: localText((local as { body?: unknown }).body, entries, 300) ?? body,
  };
}

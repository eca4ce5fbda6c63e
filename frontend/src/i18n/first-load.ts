/**
 * Messages and dates for the screens in the first load (Timeline), without the ICU formatter that `t()`
 * brings: messages here take plain `{name}` arguments only (no plural or select), so they read the same
 * through either. A screen adds its English catalog with `addMessages('en', …)`; the other languages
 * arrive with the screens' catalogs.
 */
import { fill } from './catalog';
import { formattingLocale } from './locale';

export { addMessages } from './catalog';
export { language } from './locale';

/** The message `key` in the current language with its `{name}` arguments filled in. */
export function say(key: string, values: Record<string, string | number> = {}): string {
  return fill(key, values, true);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date ("2026-03-10") in the current language: 'long' "Tue, 10 Mar 2026", 'short' "10 Mar". */
export function sayDay(date: string | null | undefined, style: 'long' | 'short' = 'long'): string {
  if (!date) return '—';
  const locale = formattingLocale();
  const id = `${locale} ${style}`;
  let format = formats.get(id);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      style === 'long' ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' };
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    formats.set(id, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}

/**
 * Messages in the patient's language: ICU MessageFormat (plural rules, select, numbers) through FormatJS's
 * intl-messageformat, given messages the build has already parsed (so the ICU parser never ships; see
 * `catalog.ts`). Only lazily loaded screens import this module, so the formatter stays out of the entry; the
 * app shell uses `plain()` and `fill()` from `catalog.ts`.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { message } from './catalog';
import { fillIn } from './fill';
import { formattingLocale } from './locale';

export { loadAreas } from './catalog';
export { language } from './locale';

type Values = Record<string, string | number | Date>;

const formats = new Map<string, IntlMessageFormat>();

/** The message `key` in the current language (English while its catalog loads, or where it lacks the key). */
export function t(key: string, values?: Values): string {
  const [source, locale] = message(key);
  if (typeof source === 'string') return values ? fillIn(source, values) : source;
  const id = `${locale}\u0000${key}`;
  let format = formats.get(id);
  if (!format) {
    format = new IntlMessageFormat(source, locale);
    formats.set(id, format);
  }
  return String(format.format(values ?? {}));
}

/** A calendar date ("2026-03-10") written the way the current language writes dates. */
export function formatDay(date: string | null | undefined, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  if (!date) return '—';
  return new Intl.DateTimeFormat(formattingLocale(), { ...options, timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

export function formatNumber(value: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(formattingLocale(), options).format(value);
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A calendar date ("2026-03-10") in the current language: 'long' "Tue, 10 Mar 2026", 'short' "10 Mar". */
export function sayDay(date: string | null | undefined, style: 'long' | 'short' = 'long'): string {
  if (!date) return '—';
  const locale = formattingLocale();
  const id = `${locale} ${style}`;
  let format = dayFormats.get(id);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      style === 'long' ? { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' };
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    dayFormats.set(id, format);
  }
  return format.format(new Date(`${date}T00:00:00Z`));
}

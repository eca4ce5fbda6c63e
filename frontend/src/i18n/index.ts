/**
 * Messages in the patient's language: ICU MessageFormat (plural rules, select, numbers) through FormatJS's
 * intl-messageformat. The catalogs live in `catalog.ts`; the English screens' messages come with this module.
 * Only lazily loaded screens import this module, so the formatter stays out of the first load; the app shell
 * uses `plain()` from `catalog.ts` for messages without arguments.
 */
import { IntlMessageFormat } from 'intl-messageformat';
import { addMessages, message, type Messages } from './catalog';
import { formattingLocale } from './locale';

export { loadCatalog } from './catalog';
export { language } from './locale';

type Values = Record<string, string | number | Date>;

const formats = new Map<string, IntlMessageFormat>();
const english = import.meta.glob<Messages>(['./messages/*/en.json', '!./messages/shell/en.json'], { eager: true, import: 'default' });
addMessages('en', Object.assign({}, ...Object.values(english)));

/** The message `key` in the current language (English while its catalog loads, or where it lacks the key). */
export function t(key: string, values?: Values): string {
  const [source, locale] = message(key, true);
  if (!values && !source.includes('{')) return source;
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

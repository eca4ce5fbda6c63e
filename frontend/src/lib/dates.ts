/** Local dates and times, always in the course's IANA time zone. */
import { formattingLocale } from '../i18n/locale';

export function detectTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

// Building an Intl.DateTimeFormat is far dearer than using one: each zone's formatters are made once.
const validZones = new Map<string, boolean>();
const dayFormats = new Map<string, Intl.DateTimeFormat>();
const clockFormats = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(zone: string): boolean {
  let valid = validZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    validZones.set(zone, valid);
  }
  return valid;
}

/**
 * The 'en-CA' formatter for `zone`, made once per zone; for a zone that is not valid, the device's own
 * zone as it is now (not kept: the phone may change zone).
 */
function zoneFormat(cache: Map<string, Intl.DateTimeFormat>, zone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  if (!isValidTimeZone(zone)) return new Intl.DateTimeFormat('en-CA', options);
  let format = cache.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { ...options, timeZone: zone });
    cache.set(zone, format);
  }
  return format;
}

/** YYYY-MM-DD for the given instant in the zone. */
export function localDate(zone: string, at: Date = new Date()): string {
  const parts = zoneFormat(dayFormats, zone, { year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const pad = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');

/** ISO-8601 with the device's UTC offset, e.g. 2025-03-01T08:12:00+01:00. */
export function isoWithOffset(at: Date = new Date()): string {
  const offset = -at.getTimezoneOffset();
  const sign = offset >= 0 ? '+' : '-';
  return (
    `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}` +
    `T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}` +
    `${sign}${pad(offset / 60)}:${pad(offset % 60)}`
  );
}

/** A wall-clock time on a date in the device's own zone, as ISO-8601 with offset. */
export function instantOn(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return isoWithOffset(new Date(y, m - 1, d, Number.isFinite(hh) ? hh : 12, mm || 0));
}

// The app's formats, in the patient's language as the phone writes it (es-MX, de-AT…), made once per locale.
const CLOCK: Intl.DateTimeFormatOptions = { hour: 'numeric', minute: '2-digit' };
const FORMATS = {
  date: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' },
  shortDate: { day: 'numeric', month: 'short', timeZone: 'UTC' },
  weekdayDate: { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' },
  clock: CLOCK,
  wallClock: { ...CLOCK, timeZone: 'UTC' },
  instant: { weekday: 'short', day: 'numeric', month: 'short', ...CLOCK },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
const localeFormats = new Map<string, Intl.DateTimeFormat>();

function format(kind: keyof typeof FORMATS): Intl.DateTimeFormat {
  const locale = formattingLocale();
  const id = `${locale} ${kind}`;
  let made = localeFormats.get(id);
  if (!made) {
    made = new Intl.DateTimeFormat(locale, FORMATS[kind]);
    localeFormats.set(id, made);
  }
  return made;
}

/** "Mon, 3 Mar 2025" for a YYYY-MM-DD date (no zone shift). */
export function formatDate(date: string | null | undefined): string {
  if (!date) return '—';
  return format('date').format(new Date(`${date}T00:00:00Z`));
}

export function formatShortDate(date: string): string {
  return format('shortDate').format(new Date(`${date}T00:00:00Z`));
}

/** "Tue, 10 Mar" (as the locale writes it) for a YYYY-MM-DD date, without any zone shift. */
export function formatWeekdayDate(date: string): string {
  return format('weekdayDate').format(new Date(`${date}T00:00:00Z`));
}

/** The time of an instant, in this device's zone ("8:05 AM" or "08:05" as the locale writes it). */
export function formatClock(at: number | string | Date): string {
  return format('clock').format(new Date(at));
}

/** A wall-clock "HH:MM" (a dose or appointment time) in the same format as formatClock, without any zone shift. */
export function formatTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  if (!Number.isFinite(h) || !Number.isFinite(m)) return hhmm;
  return format('wallClock').format(new Date(Date.UTC(2000, 0, 1, h, m)));
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** "Sun 29 Nov, 08:00" for an instant, in this device's zone. */
export function formatInstant(at: string): string {
  return format('instant').format(new Date(at));
}

/** The wall-clock date and HH:MM of a local ISO date-time ("2026-03-02T09:30:00+01:00"), without any zone shift. */
export function wallClock(localIso: string): { date: string; time: string } {
  return { date: localIso.slice(0, 10), time: localIso.slice(11, 16) };
}

/** YYYY-MM-DDTHH:MM now in the zone (compares directly with local appointment times). */
export function localDateTime(zone: string, at: Date = new Date()): string {
  const parts = zoneFormat(clockFormats, zone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '00';
  return `${localDate(zone, at)}T${get('hour')}:${get('minute')}`;
}

/**
 * An ISO 8601 instant from the server ("2026-03-01T10:00:00.123456+00:00"; the fraction is left out when
 * zero) in microseconds since 1970: Date.parse keeps milliseconds only, and strings with other offsets
 * or fractions do not sort as text. NaN when it cannot be read.
 */
export function instantMicros(iso: string): number {
  const match = /^(.+T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(iso);
  if (!match) return Date.parse(iso) * 1000;
  const [, seconds, fraction = '', zone] = match;
  return Date.parse(seconds + zone) * 1000 + Number(fraction.slice(0, 6).padEnd(6, '0'));
}

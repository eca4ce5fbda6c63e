/**
 * Emergency numbers and crisis lines (HELP-1) from the server's own data file, bundled at build time so
 * the "Get help" screen works with no network. The country is the course's; before there is a course
 * (or when the course names none) it comes from the phone's time zone.
 */
import { countries } from '../../../backend/course/helplines.json';
import { red_flags as redFlags } from '../../../backend/course/content/en.json';
import type { FactText } from '../types';
import { detectTimeZone } from './dates';

export interface HelpCountry {
  code: string;
  name: string;
  emergency: { number: string; facts: string[] };
  crisis: { name: string; number: string; sms: string | null; facts: string[] } | null;
  zones: string[];
}

export const HELP_COUNTRIES: HelpCountry[] = countries as HelpCountry[];

export function countryByCode(code: string | null | undefined): HelpCountry | null {
  return HELP_COUNTRIES.find((c) => c.code === code) ?? null;
}

export function countryForZone(zone: string): HelpCountry | null {
  return HELP_COUNTRIES.find((c) => c.zones.includes(zone)) ?? null;
}

/** The country whose numbers to show: the course's choice, else the phone's time zone. */
export function helpCountry(course: { country?: string | null; timezone: string } | null): HelpCountry | null {
  if (course && course.country !== undefined) return countryByCode(course.country);
  return countryForZone(course?.timezone ?? detectTimeZone());
}

/** "116 123" → "116123" for a tel: or sms: link. */
export function dialable(number: string): string {
  return number.replace(/[^0-9+]/g, '');
}

interface RedFlagEntry extends FactText {
  when?: string | string[];
}

/** Every red flag in its RED-11 wording, pregnancy items only where prevention applies. */
export function redFlagItems(pregnancyPrevention: boolean): Array<FactText & { id: string }> {
  return Object.entries(redFlags as Record<string, RedFlagEntry>)
    .filter(([, item]) => !item.when || pregnancyPrevention)
    .map(([id, item]) => ({ id, text: item.text, facts: item.facts }));
}

/**
 * The countries whose help numbers the app lists (codes, English names, time zones), without their lines:
 * what the set-up screen needs to pick one. The lines themselves are in lib/help.ts.
 */
import countries from 'virtual:help-countries';

export const LISTED_COUNTRIES: readonly { code: string; name: string; zones: string[] }[] = countries;

/** The listed country a time zone belongs to, or null. */
export function countryCodeForZone(zone: string): string | null {
  return countries.find((c) => c.zones.includes(zone))?.code ?? null;
}

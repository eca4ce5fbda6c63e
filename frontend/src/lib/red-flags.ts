/**
 * The red-flag list of the "Get help" screen, with the level each sign calls for (RED-13), from the
 * server's content file. Apart from lib/help so the first load does not carry it.
 */
import { red_flags as english } from '../../../backend/course/content/en.json';
import { localize, merge } from '../i18n/localized';
import type { FactText } from '../types';

let redFlags: typeof english = english;
localize('content', (translation) => {
  redFlags = merge(english, (translation as { red_flags?: unknown } | null)?.red_flags);
});

interface RedFlagEntry extends FactText {
  when?: string | string[];
  level: RedFlagLevel;
}

/** Emergency number now; stop and call the prescriber now; the dermatology team today (RED-13). */
export type RedFlagLevel = 'emergency' | 'urgent' | 'today';
export type RedFlagItem = FactText & { id: string; level: RedFlagLevel };

/** Every red flag with its level (RED-13), pregnancy items only where prevention applies. */
export function redFlagItems(pregnancyPrevention: boolean): RedFlagItem[] {
  return Object.entries(redFlags as Record<string, RedFlagEntry>)
    .filter(([, item]) => !item.when || pregnancyPrevention)
    .map(([id, item]) => ({ id, text: item.text, facts: item.facts, level: item.level }));
}

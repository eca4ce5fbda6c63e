/**
 * What a reminder says on this phone's lock screen. The weekly mood check's own words ask about low
 * mood; a patient who shares or leaves their phone about may choose neutral words instead. A choice of
 * this device (kept in its store, read by the service worker when a reminder arrives), not the course's.
 */
import { language, type Language } from '../i18n/locale';
import { getDb } from './db';

export type LockScreenWording = 'full' | 'neutral';

const KEY = 'lock-screen-wording';
/** The reminder kinds whose words may say something personal on a lock screen. */
const PERSONAL_KINDS = new Set(['mood_checkin']);
export const NEUTRAL_TITLE = 'ClearCourse';
/** The neutral words in each language (here, not in a catalog: the service worker shows them without one). In
 * the service worker the language is the phone's (the choice made in Settings is kept in the page's storage). */
const NEUTRAL_BODIES: Record<Language, string> = {
  en: 'Your weekly check-in is ready.',
  es: 'Tu control semanal está listo.',
  de: 'Dein wöchentlicher Check-in ist bereit.',
};
export const neutralBody = (): string => NEUTRAL_BODIES[language.value];

export async function lockScreenWording(): Promise<LockScreenWording> {
  try {
    return (await (await getDb()).get('kv', KEY)) === 'neutral' ? 'neutral' : 'full';
  } catch {
    return 'full';
  }
}

export async function setLockScreenWording(wording: LockScreenWording): Promise<void> {
  await (await getDb()).put('kv', wording, KEY);
}

/** The title and body to show for a reminder of `kind` under `wording` (pure). */
export function lockScreenText(kind: string, title: string, body: string, wording: LockScreenWording): { title: string; body: string } {
  if (wording === 'neutral' && PERSONAL_KINDS.has(kind)) return { title: NEUTRAL_TITLE, body: neutralBody() };
  return { title, body };
}

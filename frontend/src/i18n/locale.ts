import { signal } from '@preact/signals';

/** The languages the app is written in; the server writes notifications, the report and the feed in them too. */
export const LANGUAGES = ['en', 'es', 'de'] as const;
export type Language = (typeof LANGUAGES)[number];
export const LANGUAGE_NAMES: Record<Language, string> = { en: 'English', es: 'Español', de: 'Deutsch' };

const STORE_KEY = 'clearcourse.language';
const SERVER_KEY = 'clearcourse.language.server';

/** The first of the phone's languages the app speaks: es-MX, es-US → es; de-AT, de-CH → de; else English. */
export function negotiate(preferred: readonly string[]): Language {
  for (const tag of preferred) {
    const primary = tag.toLowerCase().split(/[-_]/)[0];
    if ((LANGUAGES as readonly string[]).includes(primary)) return primary as Language;
  }
  return 'en';
}

/** The phone's languages, most preferred first (none outside a browser, e.g. in a Node test script). */
export function phoneLanguages(): readonly string[] {
  if (typeof navigator === 'undefined') return [];
  return navigator.languages ?? [navigator.language];
}

function stored(): Language | null {
  try {
    const value = localStorage.getItem(STORE_KEY);
    return value && (LANGUAGES as readonly string[]).includes(value) ? (value as Language) : null;
  } catch {
    return null;
  }
}

/** The patient's explicit choice on this device (null: follow the phone). */
export const chosenLanguage = signal<Language | null>(stored());
/** The language the app writes in now. */
export const language = signal<Language>(chosenLanguage.value ?? negotiate(phoneLanguages()));

export function rememberLanguage(lang: Language | null): void {
  chosenLanguage.value = lang;
  language.value = lang ?? negotiate(phoneLanguages());
  try {
    if (lang) localStorage.setItem(STORE_KEY, lang);
    else localStorage.removeItem(STORE_KEY);
  } catch {
    /* private mode: the choice lasts for this visit and is stored on the patient */
  }
}

/** The language this device last stored on the patient (null: none yet, or not from this device). */
export function serverLanguage(): Language | null {
  try {
    const value = localStorage.getItem(SERVER_KEY);
    return value && (LANGUAGES as readonly string[]).includes(value) ? (value as Language) : null;
  } catch {
    return null;
  }
}

export function rememberServerLanguage(lang: Language): void {
  try {
    localStorage.setItem(SERVER_KEY, lang);
  } catch {
    /* private mode: the next start stores it again, which changes nothing */
  }
}

/** The phone's own tag when it speaks the app's language (es-MX dates for es-MX), else the language. */
export function formattingLocale(): string {
  const lang = language.value;
  return phoneLanguages().find((tag) => tag.toLowerCase().split(/[-_]/)[0] === lang) ?? lang;
}

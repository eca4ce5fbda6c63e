import { api } from '../api';
import { chosenLanguage, negotiate, phoneLanguages, rememberServerLanguage, serverLanguage, type Language } from '../i18n/locale';

/** Stores `lang` on the patient: the server writes reminders, the calendar feed and the report in it. */
export async function storeLanguage(lang: Language): Promise<void> {
  await api.setLanguage(lang);
  rememberServerLanguage(lang);
}

/**
 * Keeps the patient's stored language the one this device writes in: the one chosen here, or with "Auto"
 * the phone's (the server sends reminders without asking the phone, so "follow the phone" must be stored
 * as a language). Asks only when this device has not stored that language yet: after a choice made
 * offline, a change of the phone's language, or on a phone newly linked to the patient.
 */
export async function keepServerLanguage(): Promise<void> {
  const wanted = chosenLanguage.value ?? negotiate(phoneLanguages());
  if (serverLanguage() !== wanted) await storeLanguage(wanted);
}

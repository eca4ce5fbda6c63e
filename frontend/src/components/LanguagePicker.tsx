import { useState } from 'preact/hooks';
import { chosenLanguage, language, LANGUAGE_NAMES, LANGUAGES, negotiate, phoneLanguages, rememberLanguage, type Language } from '../i18n/locale';
import { storeLanguage } from '../lib/languageSync';
import { session } from '../store';

const NOT_SAVED: Record<Language, string> = {
  en: 'Not saved on the server yet (offline?): reminders keep the previous language until the app is next online.',
  es: 'Aún no se guardó en el servidor (¿sin conexión?): los recordatorios siguen en el idioma anterior hasta que la app vuelva a tener conexión.',
  de: 'Noch nicht auf dem Server gespeichert (offline?): Erinnerungen bleiben in der bisherigen Sprache, bis die App wieder online ist.',
};

/** The app's language: the phone's by default ("Auto"), or one chosen here; stored on the patient either way
 * (the phone's as a language) so the server writes reminders, the calendar feed and the report in it. Its
 * heading (the section's, `labelledBy`) should name it in every language, so anyone can find it. Before
 * set-up (no patient yet) the choice stays on the phone and set-up stores it. */
export function LanguagePicker({ labelledBy }: { labelledBy: string }) {
  const [error, setError] = useState(false);
  const phone = LANGUAGE_NAMES[negotiate(phoneLanguages())];
  const choose = async (value: string) => {
    const lang = value === '' ? null : (value as Language);
    rememberLanguage(lang);
    setError(false);
    if (session.value) await storeLanguage(lang ?? negotiate(phoneLanguages())).catch(() => setError(true));
  };
  return (
    <div class="field">
      <select id="language-select" aria-labelledby={labelledBy} value={chosenLanguage.value ?? ''} onChange={(e) => void choose(e.currentTarget.value)}>
        <option value="">{`Auto: ${phone}`}</option>
        {LANGUAGES.map((lang) => (
          <option key={lang} value={lang} lang={lang}>
            {LANGUAGE_NAMES[lang]}
          </option>
        ))}
      </select>
      {error && (
        <p class="error" role="alert">
          {NOT_SAVED[language.value]}
        </p>
      )}
    </div>
  );
}

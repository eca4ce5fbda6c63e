import { useState } from 'preact/hooks';
import { api } from '../api';
import { chosenLanguage, language, LANGUAGE_NAMES, LANGUAGES, negotiate, phoneLanguages, rememberLanguage, type Language } from '../i18n/locale';
import { session } from '../store';

const NOT_SAVED: Record<Language, string> = {
  en: 'Not saved on the server (offline?): reminders keep the previous language until you choose again online.',
  es: 'No se guardó en el servidor (¿sin conexión?): los recordatorios siguen en el idioma anterior hasta que vuelvas a elegir con conexión.',
  de: 'Nicht auf dem Server gespeichert (offline?): Erinnerungen bleiben in der bisherigen Sprache, bis du online erneut wählst.',
};

/** The app's language: the phone's by default, or one chosen here; stored on the patient so the server writes
 * reminders, the calendar feed and the report in it. Its heading (the section's, `labelledBy`)
 * should name it in every language, so anyone can find it. */
export function LanguagePicker({ labelledBy }: { labelledBy: string }) {
  const [error, setError] = useState(false);
  const phone = LANGUAGE_NAMES[negotiate(phoneLanguages())];
  const choose = async (value: string) => {
    const lang = value === '' ? null : (value as Language);
    rememberLanguage(lang);
    setError(false);
    if (session.value) await api.setLanguage(lang).catch(() => setError(true));
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

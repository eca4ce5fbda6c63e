import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import { formattingLocale } from '../i18n/locale';
import { LISTED_COUNTRIES } from '../lib/countries';

/** The listed countries, named and sorted as the patient's language writes them. */
function countries(): { code: string; name: string }[] {
  const locale = formattingLocale();
  const names = new Intl.DisplayNames(locale, { type: 'region' });
  const named = LISTED_COUNTRIES.map((c) => ({ code: c.code, name: names.of(c.code) ?? c.name }));
  return named.sort((a, b) => a.name.localeCompare(b.name, locale));
}

/** The country whose help numbers (HELP-1) the "Get help" screen shows; "" = not listed. */
export function CountryField({
  label,
  hint,
  value,
  onChange,
}: {
  label: string;
  hint: ComponentChildren;
  value: string;
  onChange: (code: string) => void;
}) {
  return (
    <div class="field">
      <label for="country">{label}</label>
      <p class="hint" id="country-hint">
        {hint}
      </p>
      <select id="country" value={value} aria-describedby="country-hint" onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}>
        <option value="">{t('setup.country.other')}</option>
        {countries().map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}

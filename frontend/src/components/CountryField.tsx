import type { ComponentChildren } from 'preact';
import { HELP_COUNTRIES } from '../lib/help';

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
        <option value="">Another country (not listed)</option>
        {HELP_COUNTRIES.map((c) => (
          <option key={c.code} value={c.code}>
            {c.name}
          </option>
        ))}
      </select>
    </div>
  );
}

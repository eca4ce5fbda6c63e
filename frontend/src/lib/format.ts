import { formattingLocale } from '../i18n/locale';

const formats = new Map<string, Intl.NumberFormat>();
/** Numbers as the patient's language writes them (made once per locale and precision). */
function numbers(digits: number): Intl.NumberFormat {
  const locale = formattingLocale();
  const id = `${locale} ${digits}`;
  let made = formats.get(id);
  if (!made) {
    made = new Intl.NumberFormat(locale, { maximumFractionDigits: digits });
    formats.set(id, made);
  }
  return made;
}

export const formatMg = (mg: number) => `${numbers(0).format(mg)} mg`;
export const formatWhole = (value: number) => numbers(0).format(value);
export const formatNumber = (value: number) => numbers(1).format(value);
// The app's words are English: their plural forms follow English rules, the number the phone's locale.
const englishPlurals = new Intl.PluralRules('en');
/** "1 day", "2 days", "1,000 days" (the number as the locale writes it; the word by Intl.PluralRules). */
export const plural = (count: number, one: string, many = `${one}s`) =>
  `${numbers(0).format(count)} ${englishPlurals.select(count) === 'one' ? one : many}`;

const number = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });

export const formatMg = (mg: number) => `${whole.format(mg)} mg`;
export const formatWhole = (value: number) => whole.format(value);
export const formatNumber = (value: number) => number.format(value);
// The app's words are English: their plural forms follow English rules, the number the phone's locale.
const englishPlurals = new Intl.PluralRules('en');
/** "1 day", "2 days", "1,000 days" (the number as the locale writes it; the word by Intl.PluralRules). */
export const plural = (count: number, one: string, many = `${one}s`) =>
  `${whole.format(count)} ${englishPlurals.select(count) === 'one' ? one : many}`;

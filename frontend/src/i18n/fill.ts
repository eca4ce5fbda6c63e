/** A message with simple `{name}` arguments only, filled in without the formatter (its own module, so the
 * node check of the shipped catalogs, scripts/message-cases.mjs, runs this very function). */
export function fillIn(source: string, values: Record<string, string | number | Date>): string {
  return source.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

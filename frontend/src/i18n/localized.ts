/**
 * The shared content files the PWA bundles in English (triage rules, helplines, pauses, mood check, the
 * course content's red flags) in the patient's language. A module under lib/ registers with `localize`
 * and gets the language's translation (null: English) whenever one arrives; `content.ts` (imported by the
 * app's entry) loads the translations from backend/locales/<lang>/<name>.json on demand.
 * No `import.meta.glob` here, so lib/ modules still bundle for node (the parity scripts).
 */
export type ContentName = 'triage_rules' | 'helplines' | 'pauses' | 'mood' | 'content';
/** A translation and the language it is in (null and 'en': English). */
export type Apply = (translation: unknown, language: string) => void;

const appliers = new Map<ContentName, Apply[]>();
const current = new Map<ContentName, [unknown, string]>();
let request: ((name: ContentName) => void) | null = null;

/** Call `apply` with `name`'s translation now (if one is there) and whenever the language changes. */
export function localize(name: ContentName, apply: Apply): void {
  appliers.set(name, [...(appliers.get(name) ?? []), apply]);
  const known = current.get(name);
  if (known) apply(...known);
  request?.(name);
}

/** The content names some module has asked for. */
export function requested(): ContentName[] {
  return [...appliers.keys()];
}

/** The loader (content.ts): `load(name)` fetches the current language's translation and calls `provide`. */
export function setLoader(load: (name: ContentName) => void): void {
  request = load;
}

export function provide(name: ContentName, translation: unknown, language: string): void {
  current.set(name, [translation, language]);
  for (const apply of appliers.get(name) ?? []) apply(translation, language);
}

/**
 * `over` laid onto `base` as the server does (backend/i18n/catalogs.py): dicts key by key, lists of the
 * same length item by item; where `over` is missing, English stays. Ids, levels and facts come from English.
 */
export function merge<T>(base: T, over: unknown): T {
  if (over === null || over === undefined) return base;
  if (Array.isArray(base) && Array.isArray(over)) {
    return (base.length === over.length ? base.map((b, i) => merge(b, over[i])) : over) as T;
  }
  if (base && typeof base === 'object' && over && typeof over === 'object' && !Array.isArray(over)) {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
    for (const [key, value] of Object.entries(over)) out[key] = key in out ? merge(out[key], value) : value;
    return out as T;
  }
  return over as T;
}

/** "Call {number}" with {number} filled in (the content files' plain placeholders, not ICU). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * The message catalogs, one folder per area of the app with a file per language: `messages/shell/<lang>.json`
 * (the app shell's few words, for `plain()`; every language bundled into the first load, a few words each) and
 * `messages/<area>/<lang>.json` (the screens, for `t()` in `index.ts`, which brings the English ones along; the
 * others are chunks loaded with the first screen).
 * Kept apart from `locale.ts`, which the service worker's HTTP client also imports.
 */
import { signal } from '@preact/signals';
import { language, type Language } from './locale';

export type Messages = Record<string, string>;

const shells = import.meta.glob<Messages>('./messages/shell/*.json', { eager: true, import: 'default' });
const screens = import.meta.glob<{ default: Messages }>(['./messages/*/*.json', '!./messages/*/en.json', '!./messages/shell/*.json']);
/** Every catalog loaded so far, shell and screens merged per language. */
const catalogs: Partial<Record<Language, Messages>> = Object.fromEntries(
  Object.entries(shells).map(([path, messages]) => [path.slice(path.lastIndexOf('/') + 1, -'.json'.length), { ...messages }]),
);
const loading = new Map<Language, Promise<void>>();
/** Bumped when a catalog arrives, so whatever read a message renders again. */
const catalogsLoaded = signal(0);

function load(lang: Language): Promise<void> {
  let pending = loading.get(lang);
  if (!pending) {
    const loaders = Object.entries(screens)
      .filter(([path]) => path.endsWith(`/${lang}.json`))
      .map(([, loader]) => loader());
    pending = Promise.all(loaders).then(
      (modules) => addMessages(lang, Object.assign({}, ...modules.map((m) => m.default))),
      (error: unknown) => {
        loading.delete(lang); // offline and not cached: English meanwhile, asked again next time
        throw error;
      },
    );
    loading.set(lang, pending);
  }
  return pending;
}

/** Add messages to a language's catalog (`index.ts` adds the English screens it bundles). */
export function addMessages(lang: Language, messages: Messages): void {
  catalogs[lang] = { ...catalogs[lang], ...messages };
  catalogsLoaded.value += 1;
}

/** Load a language's screen messages (its shell words are always there). */
export function loadCatalog(lang: Language): Promise<void> {
  return lang === 'en' ? Promise.resolve() : load(lang);
}

/** The raw message `key` in the current language, and the language it is in (English where untranslated or
 * still loading). `screens`: the key belongs to a screen's catalog, not the shell's. */
export function message(key: string, screens = false): [string, Language] {
  void catalogsLoaded.value; // subscribe: re-render when a catalog arrives
  const lang = language.value;
  if (screens) loadCatalog(lang).catch(() => undefined);
  const own = catalogs[lang]?.[key];
  if (own !== undefined) return [own, lang];
  return [catalogs.en?.[key] ?? key, 'en'];
}

/** A shell message without arguments (no formatter needed, so it stays in the first load). */
export function plain(key: string): string {
  return message(key)[0];
}

/** A message with simple `{name}` arguments only (no plural or select), filled in without the formatter: a
 * shell message, or with `screens` a screen's (see `first-load.ts`). */
export function fill(key: string, values: Record<string, string | number>, screens = false): string {
  return message(key, screens)[0].replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}


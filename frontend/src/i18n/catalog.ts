/**
 * The message catalogs, one folder per area of the app with a file per language: `messages/shell/<lang>.json`
 * (the app shell's few words, for `plain()` and `fill()`; every language bundled into the first load, a few
 * words each) and `messages/<area>/<lang>.json` (the screens', for `t()` in `index.ts`; each is its own chunk).
 * Every key of an area starts with `<area>.`. A screen names the areas it uses (`lazyView`, checked against its
 * code at build time by scripts/check-areas.mjs) and opens once they are here, so only those travel: English
 * included. The build parses every message (scripts/precompile-messages.mjs): plain ones arrive as strings,
 * the rest as ICU ASTs for the formatter.
 * Kept apart from `locale.ts`, which the service worker's HTTP client also imports.
 */
import type { MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { signal } from '@preact/signals';
import { fillIn } from './fill';
import { language, type Language } from './locale';

export type Message = string | MessageFormatElement[];
export type Messages = Record<string, Message>;

const shells = import.meta.glob<Record<string, string>>('./messages/shell/*.json', { eager: true, import: 'default' });
const areaFiles = import.meta.glob<{ default: Messages }>(['./messages/*/*.json', '!./messages/shell/*.json']);
/** Every message loaded so far, per language: the shell's and those of each area that has arrived. */
const catalogs: Partial<Record<Language, Messages>> = Object.fromEntries(
  Object.entries(shells).map(([path, messages]) => [path.slice(path.lastIndexOf('/') + 1, -'.json'.length), { ...messages }]),
);
/** `<lang>/<area>` → its load, begun or done. */
const loads = new Map<string, Promise<void>>();
const arrived = new Set<string>();
/** Bumped when a catalog arrives, so whatever read a message renders again. */
const catalogsLoaded = signal(0);

function loadArea(lang: Language, area: string): Promise<void> {
  const id = `${lang}/${area}`;
  let pending = loads.get(id);
  if (!pending) {
    const loader = areaFiles[`./messages/${area}/${lang}.json`];
    pending = loader
      ? loader().then(
          (module) => {
            arrived.add(id);
            addMessages(lang, module.default);
          },
          (error: unknown) => {
            loads.delete(id); // offline and not cached: asked again next time
            throw error;
          },
        )
      : Promise.resolve();
    loads.set(id, pending);
  }
  return pending;
}

/** Add messages to a language's catalog (the content files' loader adds none, to render again). */
export function addMessages(lang: Language, messages: Messages): void {
  catalogs[lang] = { ...catalogs[lang], ...messages };
  catalogsLoaded.value += 1;
}

/** Load the messages of `areas` in `lang` (a screen's, before it opens). */
export function loadAreas(lang: Language, areas: readonly string[]): Promise<void> {
  return Promise.all(areas.map((area) => loadArea(lang, area))).then(() => undefined);
}

/** The message `key` in the current language and the language it is in. A key of an area not loaded yet
 * (a language changed on an open screen) loads it and renders again; meanwhile, and where a language lacks
 * the key, English if it is here, else the key. */
export function message(key: string): [Message, Language] {
  void catalogsLoaded.value; // subscribe: re-render when a catalog arrives
  const lang = language.value;
  const own = catalogs[lang]?.[key];
  if (own !== undefined) return [own, lang];
  const area = key.slice(0, key.indexOf('.'));
  if (!arrived.has(`${lang}/${area}`)) loadArea(lang, area).catch(() => undefined);
  else if (lang !== 'en') loadArea('en', area).catch(() => undefined);
  return [catalogs.en?.[key] ?? key, 'en'];
}

/** A shell message without arguments (no formatter needed, so it stays in the first load). */
export function plain(key: string): string {
  const [source] = message(key);
  return typeof source === 'string' ? source : key;
}

/** A shell message with simple `{name}` arguments (shell messages have no plural or select: the build checks). */
export function fill(key: string, values: Record<string, string | number>): string {
  return fillIn(plain(key), values);
}

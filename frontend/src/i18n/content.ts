/**
 * Loads the translations of the shared content files (see `localized.ts`) for the app's language: each
 * backend/locales/<lang>/<name>.json is its own chunk, fetched when a screen that uses it loads (or the
 * language changes), so the first load carries none of them; the service worker precaches the chunks,
 * so they work offline. English needs nothing: the lib/ modules bundle it.
 */
import { effect } from '@preact/signals';
import { addMessages } from './catalog';
import { provide, requested, setLoader, type ContentName } from './localized';
import { language } from './locale';

const files = import.meta.glob<{ default: unknown }>([
  '../../../backend/locales/*/triage_rules.json',
  '../../../backend/locales/*/helplines.json',
  '../../../backend/locales/*/pauses.json',
  '../../../backend/locales/*/mood.json',
  '../../../backend/locales/*/content.json',
]);

function load(name: ContentName): void {
  const lang = language.peek();
  const loader = files[`../../../backend/locales/${lang}/${name}.json`];
  if (lang === 'en' || !loader) {
    provide(name, null, 'en');
    return;
  }
  void loader()
    .then((module) => {
      if (language.peek() !== lang) return; // the language changed meanwhile: its own load follows
      provide(name, module.default, lang);
      addMessages(lang, {}); // screens render again with the translated texts
    })
    .catch(() => undefined); // offline before the chunk was cached: English stays
}

setLoader(load);
effect(() => {
  void language.value; // on every change of language, each content already in use again
  for (const name of requested()) load(name);
});

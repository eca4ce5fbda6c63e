// A Vite plugin: the PWA's message catalogs (src/i18n/messages/<area>/<lang>.json) are parsed at build time,
// as FormatJS advises (https://formatjs.github.io/docs/guides/performance), so the browser never loads the
// ICU parser: vite.config.ts resolves `@formatjs/icu-messageformat-parser` to its `no-parser` build.
// A message whose parts are only text and plain `{name}` arguments stays a string (unescaped, so `fill()`
// in catalog.ts reads it without the formatter); any other (plural, select, number, date…) becomes its AST
// for intl-messageformat. The shell's messages are read without the formatter, so they must be plain.
import { parse, TYPE } from '@formatjs/icu-messageformat-parser';

const CATALOG = /\/src\/i18n\/messages\/([^/]+)\/([^/]+)\.json$/;

/** A string `fill()` reads as the formatter would, or null where the message needs the formatter. */
export function plainForm(elements) {
  let text = '';
  for (const element of elements) {
    if (element.type === TYPE.literal) {
      if (/[{}]/.test(element.value)) return null;
      text += element.value;
    } else if (element.type === TYPE.argument) {
      text += `{${element.value}}`;
    } else {
      return null;
    }
  }
  return text;
}

/** A catalog's messages as they ship: plain strings or ASTs. */
export function compileCatalog(messages, { area, file }) {
  const compiled = {};
  for (const [key, source] of Object.entries(messages)) {
    let elements;
    try {
      elements = parse(source);
    } catch (error) {
      throw new Error(`${file}: "${key}" is not a valid ICU message (${error.message})`);
    }
    const plain = plainForm(elements);
    if (plain === null && area === 'shell') {
      throw new Error(`${file}: "${key}" needs the ICU formatter, but shell messages are read without it`);
    }
    compiled[key] = plain ?? elements;
  }
  return compiled;
}

export function precompileMessages() {
  return {
    name: 'clearcourse-precompile-messages',
    enforce: 'pre',
    transform(code, id) {
      const match = CATALOG.exec(id.split('?')[0]);
      if (!match) return null;
      const compiled = compileCatalog(JSON.parse(code), { area: match[1], file: id });
      return { code: JSON.stringify(compiled), map: null };
    },
  };
}

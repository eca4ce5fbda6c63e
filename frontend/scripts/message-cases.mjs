// Formats every message of every PWA catalog twice — from its source string with the full intl-messageformat
// (parser included), and as the build ships it (scripts/precompile-messages.mjs: a plain string filled in by
// the app's own fillIn, src/i18n/fill.ts, or an AST given to the formatter) — once for each number read as
// JSON from stdin ({"numbers": [0, 1, 3]}: every argument of a message takes that value, so plural branches
// are walked) and prints the counts, any difference and any catalog the build refuses as JSON; or, given
// {"compile": …}, what the build makes of that one catalog.
// Used by tests/unit/test_message_precompile.py.
import { readdirSync, readFileSync } from 'node:fs';
import { IntlMessageFormat } from 'intl-messageformat';
import { importSource } from './bundle-source.mjs';
import { compileCatalog } from './precompile-messages.mjs';

const { fillIn } = await importSource(`export { fillIn } from './i18n/fill.ts';`);

const root = new URL('../src/i18n/messages/', import.meta.url);
let input = '';
for await (const chunk of process.stdin) input += chunk;
const { numbers, compile } = JSON.parse(input);
if (compile) {
  // {"compile": {"area": …, "messages": {…}}}: what the build makes of one catalog, or why it refuses it.
  try {
    process.stdout.write(JSON.stringify({ compiled: compileCatalog(compile.messages, { area: compile.area, file: 'case' }) }));
  } catch (error) {
    process.stdout.write(JSON.stringify({ refused: String(error.message) }));
  }
  process.exit(0);
}

const out = { catalogs: 0, messages: 0, plain: 0, ast: 0, differences: [], refused: [] };
for (const area of readdirSync(root)) {
  for (const file of readdirSync(new URL(`${area}/`, root))) {
    const lang = file.replace(/\.json$/, '');
    const messages = JSON.parse(readFileSync(new URL(`${area}/${file}`, root), 'utf8'));
    let compiled;
    try {
      compiled = compileCatalog(messages, { area, file: `${area}/${file}` });
    } catch (error) {
      out.refused.push(String(error.message));
      continue;
    }
    out.catalogs += 1;
    for (const [key, source] of Object.entries(messages)) {
      const shipped = compiled[key];
      out.messages += 1;
      out[typeof shipped === 'string' ? 'plain' : 'ast'] += 1;
      for (const number of numbers) {
        const values = Object.fromEntries([...source.matchAll(/\{(\w+)/g)].map(([, name]) => [name, number]));
        const expected = String(new IntlMessageFormat(source, lang).format(values));
        const got = typeof shipped === 'string' ? fillIn(shipped, values) : String(new IntlMessageFormat(shipped, lang).format(values));
        if (got !== expected) out.differences.push({ catalog: `${area}/${file}`, key, number, expected, got });
      }
    }
  }
}
process.stdout.write(JSON.stringify(out));

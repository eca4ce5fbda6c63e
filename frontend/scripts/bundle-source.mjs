// Bundles a few lines of module source that re-export from src/ (rolldown, the bundler Vite uses) into one
// ES module and imports it, so node scripts run the PWA's own code with one copy of each module.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

export async function importSource(source) {
  const bundle = await rolldown({
    input: 'entry',
    platform: 'node',
    logLevel: 'silent',
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? id : null),
        load: (id) => (id === 'entry' ? source : null),
      },
    ],
    cwd: fileURLToPath(new URL('../src/', import.meta.url)),
    resolve: { tsconfigFilename: undefined },
  });
  const { output } = await bundle.generate({ format: 'esm' });
  return import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
}

/** Lays `language`'s translation of each content file (backend/locales/<lang>/) over the bundled English. */
export function useLanguage(provide, language, names) {
  for (const name of names) {
    const file = new URL(`../../backend/locales/${language}/${name}.json`, import.meta.url);
    provide(name, language === 'en' ? null : JSON.parse(readFileSync(file, 'utf8')), language);
  }
}

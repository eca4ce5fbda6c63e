// Runs the PWA's call-button order (callButtons in src/lib/help.ts, bundled with rolldown) on cases read as
// JSON from stdin — [{red_flags, effects, country, clinic_phone, under18}] or [{calls, …}] — triaging
// each case with src/lib/triage.ts first when it has no `calls`, and prints the buttons as JSON. Used by
// tests/unit/test_call_order.py. A case's `language` (es, de) first lays that language's triage rules and
// helplines (backend/locales/<lang>/) over the English, as the app does once it has loaded them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const source = `
export { callButtons, countryByCode, actionText } from './lib/help.ts';
export { triage } from './lib/triage.ts';
export { provide } from './i18n/localized.ts';
`;
const dir = fileURLToPath(new URL('../src/', import.meta.url));
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
  cwd: dir,
  resolve: { tsconfigFilename: undefined },
});
const { output } = await bundle.generate({ format: 'esm' });
const { callButtons, countryByCode, actionText, triage, provide } = await import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(
  JSON.stringify(
    cases.map((c) => {
      const language = c.language ?? 'en';
      for (const name of ['triage_rules', 'helplines']) {
        const file = new URL(`../../backend/locales/${language}/${name}.json`, import.meta.url);
        provide(name, language === 'en' ? null : JSON.parse(readFileSync(file, 'utf8')), language);
      }
      const country = c.country ? countryByCode(c.country) : null;
      const result = c.calls ? { calls: c.calls, actions: c.actions ?? [] } : triage('2026-03-10', c.effects ?? {}, c.red_flags ?? [], {});
      return {
        buttons: callButtons(result.calls, country, { clinicPhone: c.clinic_phone ?? null, under18: c.under18 ?? null }),
        texts: result.actions.map((a) => actionText(a, country)),
      };
    }),
  ),
);

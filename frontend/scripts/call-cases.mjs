// Runs the PWA's call-button order (callButtons in src/lib/help.ts, bundled with rolldown) on cases read as
// JSON from stdin — [{red_flags, effects, country, clinic_phone, under18}] or [{calls, …}] — triaging
// each case with src/lib/triage.ts first when it has no `calls`, and prints the buttons as JSON. Used by
// tests/unit/test_call_order.py. A case's `language` (es, de) first lays that language's triage rules and
// helplines (backend/locales/<lang>/) over the English, as the app does once it has loaded them.
import { importSource, useLanguage } from './bundle-source.mjs';

const { callButtons, countryByCode, actionText, triage, provide } = await importSource(`
export { callButtons, countryByCode, actionText } from './lib/help.ts';
export { triage } from './lib/triage.ts';
export { provide } from './i18n/localized.ts';
`);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(
  JSON.stringify(
    cases.map((c) => {
      useLanguage(provide, c.language ?? 'en', ['triage_rules', 'helplines']);
      const country = c.country ? countryByCode(c.country) : null;
      const result = c.calls ? { calls: c.calls, actions: c.actions ?? [] } : triage('2026-03-10', c.effects ?? {}, c.red_flags ?? [], {});
      return {
        buttons: callButtons(result.calls, country, { clinicPhone: c.clinic_phone ?? null, under18: c.under18 ?? null }),
        texts: result.actions.map((a) => actionText(a, country)),
      };
    }),
  ),
);

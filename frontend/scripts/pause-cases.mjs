// Runs the PWA's pause logic (src/lib/pauses.ts and the triage's saysStop, bundled with rolldown) on cases
// read as JSON from stdin and prints the answers as JSON. Used by tests/unit/test_pause_parity.py to check
// that the phone and the server agree on which day is paused and which advice says stop.
//   {"days": [{pauses, date}], "overlays": [{course, records}], "results": [triage result], "reasons": [key],
//    "languages": [es, de]} — the reasons' sentences in English, then in each language (backend/locales/<lang>/).
import { importSource, useLanguage } from './bundle-source.mjs';

// One bundle, so the translations `provide` lays over English reach the same modules pauses.ts uses.
const { pauseOn, effectivePauses, reasonSentence, saysStop, provide } = await importSource(`
export { pauseOn, effectivePauses } from './lib/pauses.ts';
export { reasonSentence } from './lib/pauseTexts.ts';
export { saysStop } from './lib/triage.ts';
export { provide } from './i18n/localized.ts';
`);

/** The reasons' sentences with `language`'s triage rules and pause texts laid over English. */
function sentencesIn(language, reasons) {
  useLanguage(provide, language, ['triage_rules', 'pauses']);
  return reasons.map((r) => reasonSentence(r));
}

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(
  JSON.stringify({
    days: cases.days.map((c) => pauseOn(c.pauses, c.date)?.id ?? null),
    overlays: cases.overlays.map((c) => effectivePauses(c.course, c.records)),
    stops: cases.results.map((r) => saysStop(r)),
    sentences: cases.reasons.map((r) => reasonSentence(r)),
    translated: Object.fromEntries((cases.languages ?? []).map((lang) => [lang, sentencesIn(lang, cases.reasons)])),
  }),
);

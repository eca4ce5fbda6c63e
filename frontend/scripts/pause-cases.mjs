// Runs the PWA's pause logic (src/lib/pauses.ts and the triage's saysStop, bundled with rolldown) on cases
// read as JSON from stdin and prints the answers as JSON. Used by tests/unit/test_pause_parity.py to check
// that the phone and the server agree on which day is paused and which advice says stop.
//   {"days": [{pauses, date}], "overlays": [{course, records}], "results": [triage result]}
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

async function load(path) {
  const entry = fileURLToPath(new URL(path, import.meta.url));
  const bundle = await rolldown({ input: entry, platform: 'node', logLevel: 'silent' });
  const { output } = await bundle.generate({ format: 'esm' });
  return import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
}

const { pauseOn, effectivePauses, reasonSentence } = await load('../src/lib/pauses.ts');
const { saysStop } = await load('../src/lib/triage.ts');

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(
  JSON.stringify({
    days: cases.days.map((c) => pauseOn(c.pauses, c.date)?.id ?? null),
    overlays: cases.overlays.map((c) => effectivePauses(c.course, c.records)),
    stops: cases.results.map((r) => saysStop(r)),
    sentences: cases.reasons.map((r) => reasonSentence(r)),
  }),
);

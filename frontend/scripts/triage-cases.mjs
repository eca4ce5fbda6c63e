// Runs the PWA's triage (src/lib/triage.ts, bundled with rolldown, the bundler Vite uses) on cases read as
// JSON from stdin — [{date, effects, red_flags, history}] — and prints the results as JSON. Used by
// tests/unit/test_triage_parity.py to check that the phone and the server triage every case alike.
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const entry = fileURLToPath(new URL('../src/lib/triage.ts', import.meta.url));
const bundle = await rolldown({ input: entry, platform: 'node', logLevel: 'silent' });
const { output } = await bundle.generate({ format: 'esm' });
const { triage } = await import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cases = JSON.parse(input);
process.stdout.write(JSON.stringify(cases.map((c) => triage(c.date, c.effects, c.red_flags, c.history))));

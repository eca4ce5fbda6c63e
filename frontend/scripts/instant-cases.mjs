// Reads ISO 8601 instants as JSON from stdin and prints, as JSON, what the PWA makes of them
// (instantMicros in src/lib/dates.ts, bundled with rolldown). Used by tests/unit/test_course_versions.py
// to check that the phone orders the server's updated_at values exactly as the server does.
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const entry = fileURLToPath(new URL('../src/lib/dates.ts', import.meta.url));
const bundle = await rolldown({ input: entry, platform: 'node', logLevel: 'silent' });
const { output } = await bundle.generate({ format: 'esm' });
const { instantMicros } = await import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);

let input = '';
for await (const chunk of process.stdin) input += chunk;
process.stdout.write(JSON.stringify(JSON.parse(input).map((iso) => instantMicros(iso))));

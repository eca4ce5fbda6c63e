// Calls functions of one module under src/lib/ (bundled with rolldown, the bundler Vite uses) and prints
// their results as JSON. Reads {"module": "chartAxis", "calls": [["dayTicks", [0, 86400, 320]], …]} from
// stdin. Used by tests/unit/test_chart_axis.py; node runs with the locale and zone its environment sets.
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const { module, calls } = JSON.parse(input);
if (!/^[A-Za-z]+$/.test(module)) throw new Error(`not a module name: ${module}`);
const entry = fileURLToPath(new URL(`../src/lib/${module}.ts`, import.meta.url));
const bundle = await rolldown({ input: entry, platform: 'node', logLevel: 'silent' });
const { output } = await bundle.generate({ format: 'esm' });
const lib = await import(`data:text/javascript;base64,${Buffer.from(output[0].code).toString('base64')}`);
process.stdout.write(JSON.stringify(calls.map(([name, args]) => lib[name](...args))));

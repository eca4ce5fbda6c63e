// Checks that every lazily loaded screen or panel names exactly the message areas its code uses. A code-split
// import of our own code (`import('./views/Today')`) is followed in the same statement by its list of areas
// (`lazyView('today', () => import('./views/Today')…, ['course', 'today'])`); this script follows the module's
// static imports, outside the entry (whose modules read only the shell's words), collects every area a string
// there starts a key with (`'today.`, `` `today.${…}` ``) and fails on a list that differs, or on an entry
// module that reads an area. Run by `npm run build`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';

const src = resolve(new URL('../src', import.meta.url).pathname);
const areas = readdirSync(`${src}/i18n/messages`).filter((area) => area !== 'shell');
const keyStart = new RegExp(`['"\`](${areas.join('|')})\\.[\\w$]`, 'g');
const staticImport = /^import\s+(?!type\b)[^;]*?from\s+'(\.[^']+)'/gm;
const declared = /import\('(\.[^']+)'\)[^;]*?\[((?:\s*'[\w-]+',?)*\s*)\]/g;
const splitImport = /import\('(\.[^']+)'\)/g;

function resolveModule(from, spec) {
  const base = resolve(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}

const sources = new Map();
function source(file) {
  if (!sources.has(file)) sources.set(file, readFileSync(file, 'utf8'));
  return sources.get(file);
}

function graph(file, seen = new Set()) {
  if (seen.has(file) || !/\.tsx?$/.test(file)) return seen;
  seen.add(file);
  for (const [, spec] of source(file).matchAll(staticImport)) {
    const target = resolveModule(file, spec);
    if (target) graph(target, seen);
  }
  return seen;
}

function allFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? allFiles(`${dir}/${entry.name}`) : /\.tsx?$/.test(entry.name) ? [`${dir}/${entry.name}`] : [],
  );
}

const entry = graph(`${src}/main.tsx`);
const problems = [];
for (const module of entry) {
  for (const [, area] of source(module).matchAll(keyStart)) {
    problems.push(`${relative(src, module)} is in the entry but reads the area '${area}', which loads with screens`);
  }
}
let checked = 0;
for (const file of allFiles(src)) {
  const code = source(file);
  const lists = new Map([...code.matchAll(declared)].map(([, spec, list]) => [spec, [...list.matchAll(/'([\w-]+)'/g)].map((m) => m[1])]));
  for (const [, spec] of code.matchAll(splitImport)) {
    const where = `${relative(src, file)}: import('${spec}')`;
    const target = resolveModule(file, spec);
    if (!target) continue;
    const used = new Set();
    for (const module of graph(target)) {
      if (entry.has(module)) continue;
      for (const [, area] of source(module).matchAll(keyStart)) used.add(area);
    }
    const want = [...used].sort();
    if (!lists.has(spec)) {
      problems.push(`${where} names no message areas; its code uses [${want.join(', ')}]`);
      continue;
    }
    const have = [...lists.get(spec)].sort();
    checked += 1;
    if (want.join() !== have.join()) problems.push(`${where} names [${have.join(', ')}]; its code uses [${want.join(', ')}]`);
  }
}
if (problems.length) {
  console.error(`Message areas out of date:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`Message areas: ${checked} lazily loaded modules name the areas their code uses.`);

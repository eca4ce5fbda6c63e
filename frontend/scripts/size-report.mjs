// Prints the size of the entry (index.html, its JS and CSS): gzip, and as sent to browsers that accept brotli
// (the .br files made by compress.mjs). Fails when the gzip total is over budget. The first screen's lazy
// chunks come on top of it: bench/first_load.py measures the first screen as transferred.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 60;
const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const assets = new Set(['index.html']);
for (const match of html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)) assets.add(match[1]);

let total = 0;
let totalBr = 0;
const rows = [];
for (const asset of assets) {
  const raw = readFileSync(new URL(asset, dist));
  const gz = gzipSync(raw, { level: 9 }).length;
  const brFile = new URL(`${asset}.br`, dist);
  const br = existsSync(brFile) ? readFileSync(brFile).length : raw.length;
  total += gz;
  totalBr += br;
  rows.push(`  ${asset.padEnd(44)} ${(gz / 1024).toFixed(1).padStart(6)} KB gzip ${(br / 1024).toFixed(1).padStart(6)} KB br`);
}
console.log('Entry (index.html + JS + CSS; the first screen adds its lazy chunks):');
console.log(rows.join('\n'));
console.log(
  `  total ${(total / 1024).toFixed(1)} KB gzip, ${(totalBr / 1024).toFixed(1)} KB as sent with brotli (budget ${BUDGET_KB} KB)`,
);
if (total / 1024 > BUDGET_KB) {
  console.error('Over the first-load budget.');
  process.exit(1);
}

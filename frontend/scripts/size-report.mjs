// Prints the gzip size of the JS and CSS that the first page load fetches, and fails over budget.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 60;
const dist = new URL('../dist/', import.meta.url);
const html = readFileSync(new URL('index.html', dist), 'utf8');
const assets = new Set();
for (const match of html.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)) assets.add(match[1]);

let total = 0;
const rows = [];
for (const asset of assets) {
  const gz = gzipSync(readFileSync(new URL(asset, dist)), { level: 9 }).length;
  total += gz;
  rows.push(`  ${asset.padEnd(44)} ${(gz / 1024).toFixed(1).padStart(6)} KB gzip`);
}
console.log('First-load JS + CSS:');
console.log(rows.join('\n'));
console.log(`  total ${(total / 1024).toFixed(1)} KB gzip (budget ${BUDGET_KB} KB)`);
if (total / 1024 > BUDGET_KB) {
  console.error('Over the first-load budget.');
  process.exit(1);
}

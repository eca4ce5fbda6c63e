// Writes .br (quality 11) and .gz (level 9) next to every compressible file in dist/, at build time,
// so the server (WhiteNoise) sends them as they are instead of compressing on each request.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const COMPRESSIBLE = /\.(?:js|mjs|css|html|svg|json|webmanifest|txt)$/;
const dist = new URL('../dist/', import.meta.url).pathname;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.test(entry.name)) yield path;
  }
}

let count = 0;
for (const path of files(dist)) {
  const raw = readFileSync(path);
  const variants = {
    br: brotliCompressSync(raw, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 11,
        [constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    }),
    gz: gzipSync(raw, { level: 9 }),
  };
  for (const [ext, data] of Object.entries(variants)) {
    if (data.length < raw.length * 0.95) {
      writeFileSync(`${path}.${ext}`, data);
      count += 1;
    }
  }
}
console.log(`Pre-compressed ${count} files (.br and .gz) in dist/.`);

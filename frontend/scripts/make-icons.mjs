// Draws the ClearCourse icons (a capsule on a teal tile) into public/icons/ as PNG files.
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const TEAL = [15, 95, 92];
const WHITE = [255, 255, 255];
const MINT = [168, 226, 214];

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8;
  header[9] = 6;
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const clamp01 = (v) => Math.min(1, Math.max(0, v));

function roundedSquareDistance(x, y, half, radius) {
  const qx = Math.abs(x) - (half - radius);
  const qy = Math.abs(y) - (half - radius);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - radius;
}

function capsuleDistance(x, y, length, radius) {
  const c = Math.SQRT1_2;
  const u = x * c + y * c;
  const v = -x * c + y * c;
  const along = Math.max(Math.abs(u) - length / 2, 0);
  return { d: Math.hypot(along, v) - radius, u };
}

function mix(a, b, t) {
  return a.map((v, i) => v + (b[i] - v) * t);
}

function draw(size, { maskable }) {
  const px = Buffer.alloc(size * size * 4);
  const scale = maskable ? 0.62 : 0.78;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size - 0.5;
      const y = (j + 0.5) / size - 0.5;
      const aa = 1 / size;
      const tile = maskable ? 1 : clamp01(0.5 - roundedSquareDistance(x, y, 0.5, 0.18) / aa);
      const { d, u } = capsuleDistance(x / scale, y / scale, 0.42, 0.16);
      const inCapsule = clamp01(0.5 - (d * scale) / aa);
      const half = u < 0 ? WHITE : MINT;
      const seam = clamp01(0.5 - (Math.abs(u) * scale - 0.006) / aa) * inCapsule;
      let color = mix(TEAL, half, inCapsule);
      color = mix(color, TEAL, seam * 0.6);
      const o = (j * size + i) * 4;
      px[o] = Math.round(color[0]);
      px[o + 1] = Math.round(color[1]);
      px[o + 2] = Math.round(color[2]);
      px[o + 3] = Math.round(255 * tile);
    }
  }
  return encodePng(size, px);
}

// The notification badge: a white capsule on transparent (Android shows only the alpha channel).
function drawBadge(size) {
  const px = Buffer.alloc(size * size * 4);
  const scale = 0.9;
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (i + 0.5) / size - 0.5;
      const y = (j + 0.5) / size - 0.5;
      const { d } = capsuleDistance(x / scale, y / scale, 0.42, 0.16);
      const o = (j * size + i) * 4;
      px.fill(255, o, o + 3);
      px[o + 3] = Math.round(255 * clamp01(0.5 - (d * scale) * size));
    }
  }
  return encodePng(size, px);
}

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });
const icons = [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['icon-maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true],
  ['favicon-32.png', 32, false],
];
for (const [name, size, maskable] of icons) {
  writeFileSync(new URL(name, out), draw(size, { maskable }));
}
writeFileSync(new URL('badge-96.png', out), drawBadge(96));
console.log(`wrote ${icons.length + 1} icons to public/icons/`);

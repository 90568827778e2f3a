/**
 * Draws the app's icons into public/icons/ (committed; rerun with `npx tsx scripts/make-icons.ts`
 * after changing the drawing): a big circle (the teacher) pointing to a small one (the student) on
 * the studio's accent colour. "any" icons are rounded squares on transparency; "maskable" ones fill
 * the square, the motif inside the central safe circle (radius 40%) that every mask keeps.
 * PNGs are written by hand (RGBA, zlib from node:zlib): no image library.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];

const ACCENT: Rgba = [0x5b, 0x3f, 0xd6, 255]; // --accent in src/ui/styles.css
const TEACHER: Rgba = [255, 255, 255, 255];
const STUDENT: Rgba = [0xd9, 0xd2, 0xff, 255];
const ARROW: Rgba = [255, 255, 255, 230];

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) rows.set(rgba.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1); // filter 0
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** The colour at a point of the unit square, or null where it is transparent. */
function paint(x: number, y: number, maskable: boolean): Rgba | null {
  const inCircle = (cx: number, cy: number, r: number) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  if (inCircle(0.33, 0.5, 0.18)) return TEACHER;
  if (inCircle(0.76, 0.5, 0.09)) return STUDENT;
  const shaft = x >= 0.53 && x <= 0.6 && Math.abs(y - 0.5) <= 0.018;
  const head = x >= 0.585 && x <= 0.65 && Math.abs(y - 0.5) <= 0.055 * ((0.65 - x) / 0.065);
  if (shaft || head) return ARROW;
  if (maskable) return ACCENT;
  // Rounded square: corner radius 22% of the side.
  const r = 0.22;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r ? ACCENT : null;
}

/** 4×4 samples a pixel: colour averaged over the covered samples, alpha the share covered (smooth edges). */
export function drawIcon(size: number, maskable: boolean): Uint8Array {
  const S = 4;
  const out = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < S; sy++) {
        for (let sx = 0; sx < S; sx++) {
          const c = paint((px + (sx + 0.5) / S) / size, (py + (sy + 0.5) / S) / size, maskable);
          if (!c) continue;
          // The arrow's translucency shows the accent beneath it.
          const alpha = c[3] / 255;
          const under = c === ARROW ? ACCENT : c;
          r += c[0] * alpha + under[0] * (1 - alpha);
          g += c[1] * alpha + under[1] * (1 - alpha);
          b += c[2] * alpha + under[2] * (1 - alpha);
          a += 1;
        }
      }
      const i = (py * size + px) * 4;
      if (a > 0) {
        out[i] = Math.round(r / a);
        out[i + 1] = Math.round(g / a);
        out[i + 2] = Math.round(b / a);
        out[i + 3] = Math.round((a / (S * S)) * 255);
      }
    }
  }
  return out;
}

const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../public/icons');
mkdirSync(dir, { recursive: true });
for (const size of [192, 512]) {
  for (const maskable of [false, true]) {
    const file = resolve(dir, `${maskable ? 'maskable' : 'icon'}-${size}.png`);
    const png = encodePng(size, size, drawIcon(size, maskable));
    writeFileSync(file, png);
    console.log(`${file}: ${png.length} bytes`);
  }
}

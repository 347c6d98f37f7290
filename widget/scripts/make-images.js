/**
 * Generates the logo PNGs Kommo requires (https://developers.kommo.com/docs/images) at their
 * exact pixel sizes: an indigo (#5E6AD2) rounded square with three white diagonal stripes (a Linear-like mark),
 * centred on a transparent background. Run `node widget/scripts/make-images.js`; the PNGs are committed.
 */
const fs = require('node:fs');
const path = require('node:path');
const { PNG } = require('pngjs');

const SIZES = {
  logo_min: [84, 84],
  logo_medium: [240, 84],
  logo_main: [400, 272],
  logo: [130, 100],
  logo_small: [108, 108],
  // Shown on the action's tile in the Digital Pipeline editor (the `digital_pipeline` location).
  logo_dp: [174, 109],
};
const INDIGO = [0x5e, 0x6a, 0xd2];
const SAMPLES = 4; // 4×4 supersampling for smooth edges

/** Coverage of the mark at (x, y) in mark-local units 0..1: 1 indigo, 2 white stripe, 0 outside. */
function markAt(u, v) {
  const r = 0.22; // corner radius
  const dx = Math.max(r - u, 0, u - (1 - r));
  const dy = Math.max(r - v, 0, v - (1 - r));
  if (dx * dx + dy * dy > r * r) return 0;
  const d = u + v; // stripes run from bottom-left to top-right
  const inStripe = [0.62, 1.0, 1.38].some((c) => Math.abs(d - c) < 0.085);
  return inStripe ? 2 : 1;
}

function draw(width, height) {
  const png = new PNG({ width, height });
  const side = Math.round(Math.min(width, height) * 0.72);
  const left = (width - side) / 2;
  const top = (height - side) / 2;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      let indigo = 0;
      let white = 0;
      for (let sy = 0; sy < SAMPLES; sy += 1) {
        for (let sx = 0; sx < SAMPLES; sx += 1) {
          const u = (x + (sx + 0.5) / SAMPLES - left) / side;
          const v = (y + (sy + 0.5) / SAMPLES - top) / side;
          const hit = u >= 0 && u <= 1 && v >= 0 && v <= 1 ? markAt(u, v) : 0;
          if (hit === 1) indigo += 1;
          if (hit === 2) white += 1;
        }
      }
      const total = SAMPLES * SAMPLES;
      const alpha = (indigo + white) / total;
      const i = (width * y + x) * 4;
      const mix = alpha ? white / (indigo + white) : 0;
      for (let c = 0; c < 3; c += 1) png.data[i + c] = Math.round(INDIGO[c] * (1 - mix) + 255 * mix);
      png.data[i + 3] = Math.round(alpha * 255);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

const out = path.join(__dirname, '..', 'images');
fs.mkdirSync(out, { recursive: true });
for (const [name, [width, height]] of Object.entries(SIZES)) {
  const file = path.join(out, `${name}.png`);
  fs.writeFileSync(file, draw(width, height));
  process.stdout.write(`${path.relative(process.cwd(), file)}: ${width}×${height}\n`);
}

/**
 * The Teams app's two icons, drawn by code (no image files in the repository): a speech bubble
 * with a medical cross. The colour icon is 192×192 on the accent colour; the outline icon is
 * 32×32, white on transparent, as Teams requires. Shapes are sampled 4×4 per pixel for smooth
 * edges and written as PNG by pngjs.
 */
import { PNG } from 'pngjs';

type Shape = (x: number, y: number) => boolean;

/** Shapes are drawn on a 0..1 square and scaled to the icon. */
function roundedRect(left: number, top: number, right: number, bottom: number, radius: number): Shape {
  return (x, y) => {
    if (x < left || x > right || y < top || y > bottom) return false;
    const dx = Math.max(left + radius - x, 0, x - (right - radius));
    const dy = Math.max(top + radius - y, 0, y - (bottom - radius));
    return dx * dx + dy * dy <= radius * radius;
  };
}

/** The triangle a–b–c (any winding). */
function triangle(a: [number, number], b: [number, number], c: [number, number]): Shape {
  const side = (p: [number, number], q: [number, number], x: number, y: number) => (q[0] - p[0]) * (y - p[1]) - (q[1] - p[1]) * (x - p[0]);
  return (x, y) => {
    const s1 = side(a, b, x, y);
    const s2 = side(b, c, x, y);
    const s3 = side(c, a, x, y);
    return (s1 >= 0 && s2 >= 0 && s3 >= 0) || (s1 <= 0 && s2 <= 0 && s3 <= 0);
  };
}

const union = (...shapes: Shape[]): Shape => (x, y) => shapes.some((shape) => shape(x, y));
const minus = (shape: Shape, hole: Shape): Shape => (x, y) => shape(x, y) && !hole(x, y);

function bubble(inset: number): Shape {
  return union(
    roundedRect(0.16 + inset, 0.2 + inset, 0.84 - inset, 0.68 - inset, 0.12),
    triangle([0.26 + inset, 0.6], [0.46 - inset, 0.6], [0.24 + inset, 0.84 - inset * 2]),
  );
}

/** A plus sign centred in the bubble; `scale` 1 fills most of it. */
function cross(scale: number): Shape {
  const [cx, cy] = [0.5, 0.44];
  const at = (value: number, centre: number) => centre + (value - centre) * scale;
  return union(
    roundedRect(at(0.44, cx), at(0.29, cy), at(0.56, cx), at(0.59, cy), 0.02),
    roundedRect(at(0.35, cx), at(0.38, cy), at(0.65, cx), at(0.5, cy), 0.02),
  );
}

const SAMPLES = 4;

/** Fraction of the pixel (px, py) of a size×size icon that `shape` covers. */
function coverage(shape: Shape, px: number, py: number, size: number): number {
  let inside = 0;
  for (let sy = 0; sy < SAMPLES; sy += 1) {
    for (let sx = 0; sx < SAMPLES; sx += 1) {
      if (shape((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size)) inside += 1;
    }
  }
  return inside / (SAMPLES * SAMPLES);
}

function draw(size: number, pixel: (px: number, py: number) => [number, number, number, number]): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      const offset = (py * size + px) * 4;
      const [r, g, b, a] = pixel(px, py);
      png.data[offset] = r;
      png.data[offset + 1] = g;
      png.data[offset + 2] = b;
      png.data[offset + 3] = a;
    }
  }
  return PNG.sync.write(png);
}

function rgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff];
}

/** 192×192: a white bubble with an accent-coloured cross, on the accent colour. */
export function colorIcon(accentColor: string): Buffer {
  const accent = rgb(accentColor);
  const white = minus(bubble(0), cross(1));
  return draw(192, (px, py) => {
    const w = coverage(white, px, py, 192);
    const mix = (channel: number) => Math.round(channel * (1 - w) + 255 * w);
    return [mix(accent[0]), mix(accent[1]), mix(accent[2]), 255];
  });
}

/** 32×32: the bubble's outline and the cross in white, the rest transparent. */
export function outlineIcon(): Buffer {
  const shape = union(minus(bubble(0), bubble(0.065)), cross(0.7));
  return draw(32, (px, py) => [255, 255, 255, Math.round(255 * coverage(shape, px, py, 32))]);
}

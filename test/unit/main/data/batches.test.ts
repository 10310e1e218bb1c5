import { describe, expect, it } from 'vitest';
import { epochOrder, makeBatch } from '../../../../main/data/batches.js';
import type { ImageSet, LoadedDataset } from '../../../../main/data/types.js';

/** A tiny 3×4 RGB dataset whose pixel (y, x) of image i has R = 10·y + x, G = 100 + i, B = 0. */
function tinyDataset(images = 2): LoadedDataset {
  const height = 3;
  const width = 4;
  const data = new Uint8Array(images * height * width * 3);
  for (let i = 0; i < images; i++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const k = ((i * height + y) * width + x) * 3;
        data[k] = 10 * y + x;
        data[k + 1] = 100 + i;
      }
    }
  }
  const set: ImageSet = {
    images: data,
    labels: Uint8Array.from({ length: images }, (_, i) => i % 10),
    count: images,
  };
  // Identity normalisation (mean 0, std 1) so batch values are the raw pixel values.
  return {
    name: 'cifar10',
    height,
    width,
    channels: 3,
    classNames: [],
    train: set,
    validation: set,
    test: set,
    mean: [0, 0, 0],
    std: [1, 1, 1],
  };
}

describe('epochOrder', () => {
  it('is a permutation that depends on seed and epoch only', () => {
    const a = epochOrder(1000, 7, 3);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect(epochOrder(1000, 7, 3)).toEqual(a);
    expect(epochOrder(1000, 7, 4)).not.toEqual(a);
    expect(epochOrder(1000, 8, 3)).not.toEqual(a);
  });
});

describe('makeBatch', () => {
  it('normalises per channel with the dataset statistics', () => {
    const ds = { ...tinyDataset(), mean: [10, 100, 0], std: [2, 4, 1] };
    const batch = makeBatch(ds.train, ds, [1], null);
    expect(batch.count).toBe(1);
    expect([...batch.labels]).toEqual([1]);
    // pixel (1, 2): R = 12 → (12 − 10) / 2 = 1; G = 101 → (101 − 100) / 4 = 0.25; B = 0.
    const k = (1 * 4 + 2) * 3;
    expect([...batch.x.subarray(k, k + 3)]).toEqual([1, 0.25, 0]);
  });

  it('rejects an index outside the set', () => {
    const ds = tinyDataset();
    expect(() => makeBatch(ds.train, ds, [2], null)).toThrow(
      /index 2 is outside the set of 2 images/,
    );
  });

  it('augments the same way for the same seed and differently for another', () => {
    const ds = tinyDataset(16);
    const idx = [...Array(16).keys()];
    const a = makeBatch(ds.train, ds, idx, { seed: 1, epoch: 2, batch: 3 });
    expect(makeBatch(ds.train, ds, idx, { seed: 1, epoch: 2, batch: 3 }).x).toEqual(a.x);
    expect(makeBatch(ds.train, ds, idx, { seed: 1, epoch: 2, batch: 4 }).x).not.toEqual(a.x);
    expect(makeBatch(ds.train, ds, idx, null).x).not.toEqual(a.x);
  });

  it('produces only crops within 4 pixels and horizontal flips of the image', () => {
    const ds = tinyDataset(1);
    const seen = new Set<string>();
    for (let b = 0; b < 200; b++) {
      const { x } = makeBatch(ds.train, ds, [0], { seed: 5, epoch: 0, batch: b });
      // Recover (dy, dx, flip) from the red channel: R = 10·y + x inside, 0 in the padding.
      let match: string | null = null;
      for (let dy = -4; dy <= 4 && !match; dy++) {
        for (let dx = -4; dx <= 4 && !match; dx++) {
          for (const flip of [false, true]) {
            let ok = true;
            for (let y = 0; y < 3 && ok; y++) {
              for (let xo = 0; xo < 4 && ok; xo++) {
                const sy = y + dy;
                const sx = (flip ? 3 - xo : xo) + dx;
                const inside = sy >= 0 && sy < 3 && sx >= 0 && sx < 4;
                const k = (y * 4 + xo) * 3;
                const want = inside ? [10 * sy + sx, 100, 0] : [0, 0, 0];
                ok = x[k] === want[0] && x[k + 1] === want[1] && x[k + 2] === want[2];
              }
            }
            if (ok) {
              match = `${dy},${dx},${flip}`;
              break;
            }
          }
        }
      }
      expect(match, `batch ${b} is not a pad-4 crop/flip of the image`).not.toBeNull();
      seen.add(match!);
    }
    // Both flip states and several offsets occur.
    expect([...seen].some((s) => s.endsWith('true'))).toBe(true);
    expect([...seen].some((s) => s.endsWith('false'))).toBe(true);
    expect(seen.size).toBeGreaterThan(20);
  });

  it('flips exactly: the unshifted flip mirrors each row', () => {
    const ds = tinyDataset(1);
    for (let b = 0; b < 500; b++) {
      const { x } = makeBatch(ds.train, ds, [0], { seed: 9, epoch: 1, batch: b });
      const row0 = [0, 1, 2, 3].map((xo) => x[xo * 3]);
      const row1 = [0, 1, 2, 3].map((xo) => x[(4 + xo) * 3]);
      if (row0.join() === '3,2,1,0' && row1.join() === '13,12,11,10') return;
    }
    throw new Error('no unshifted flip in 500 draws');
  });
});

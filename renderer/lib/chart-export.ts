/**
 * What a chart's CSV and PNG downloads hold: exactly the series it shows (labelled, not hidden,
 * inside the zoomed x range), with the values as drawn (smoothed where smoothing is on).
 */
// The package's browser build (it carries its own Buffer shim; the page has no Node Buffer).
import { stringify } from 'csv-stringify/browser/esm/sync';
import type { LineDataset } from './chart-datasets.js';

/** A dataset's legend key: its group (a band or seed line belongs to a mean), else its label. */
export const seriesKey = (d: Pick<LineDataset, 'label' | 'group'>): string =>
  d.group ?? d.label ?? '';

/** Whether a dataset is drawn, given the series keys the user hid. */
export const isShown = (d: LineDataset, hidden: ReadonlySet<string>): boolean =>
  !hidden.has(seriesKey(d));

export interface CsvOptions {
  xLabel: string;
  yLabel: string;
  /** Series keys hidden with the chart's legend. */
  hidden: ReadonlySet<string>;
  /** The x range on screen (zoomed); every point when absent. */
  xRange?: { min: number; max: number };
}

/**
 * Long-format CSV, one row per drawn point: series, x, y, then the seeds' std and min–max where
 * the point has them (empty otherwise). RFC 4180 quoting and formula escaping by csv-stringify.
 */
export function chartCsv(datasets: readonly LineDataset[], options: CsvOptions): string {
  const { xRange } = options;
  const rows: (string | number)[][] = [];
  for (const d of datasets) {
    if (!d.label || !isShown(d, options.hidden)) continue;
    for (const p of d.data) {
      if (xRange && (p.x < xRange.min || p.x > xRange.max)) continue;
      rows.push([d.label, p.x, p.y, p.std ?? '', p.min ?? '', p.max ?? '']);
    }
  }
  return stringify(rows, {
    header: true,
    columns: ['series', options.xLabel, options.yLabel, 'std', 'min', 'max'],
    record_delimiter: 'windows',
    escape_formulas: true,
    cast: { number: (value) => String(value) },
  });
}

/** A file name from a chart title: lower case, words joined by '-'. */
export function fileName(title: string, extension: string): string {
  const stem = title
    .toLowerCase()
    .replace(/\(.*?\)/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return `${stem || 'chart'}.${extension}`;
}

/** Starts a browser download of `href` (a data: or blob: URL) named `name`. */
export function download(href: string, name: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}

/** The canvas as PNG on an opaque background (the chart itself is transparent). */
export function canvasPng(canvas: HTMLCanvasElement, background: string): string {
  const out = document.createElement('canvas');
  out.width = canvas.width;
  out.height = canvas.height;
  const ctx = out.getContext('2d');
  if (!ctx) return canvas.toDataURL('image/png');
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.drawImage(canvas, 0, 0);
  return out.toDataURL('image/png');
}

/** No key: the initial "nothing hidden". */
export const NO_KEYS: ReadonlySet<string> = new Set();

/** A new set with `key` removed when present, added when not (sets in `$state.raw` are replaced). */
export function toggled(keys: ReadonlySet<string>, key: string): ReadonlySet<string> {
  const next = new Set(keys);
  if (!next.delete(key)) next.add(key);
  return next;
}

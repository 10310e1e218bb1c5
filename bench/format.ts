import type { BenchRow } from './run-case.js';

/** The benchmark rows as a Markdown table (ready to paste into the README). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = [
    'model',
    'BN',
    'backend',
    'batch',
    'images/s',
    'ms/step',
    'GFLOP/s',
    'peak RSS (MB)',
    'probe overhead',
  ];
  const body = rows.map((r) => [
    r.model,
    r.bn === 'none' ? 'none' : r.bn === 'before-activation' ? 'before act.' : 'after act.',
    r.backend,
    String(r.batchSize),
    r.imagesPerSecond.toFixed(1),
    r.msPerStep.toFixed(0),
    r.gflops.toFixed(2),
    r.rssMb.toFixed(0),
    r.probeOverhead.toFixed(3),
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...body.map(line),
  ].join('\n');
}

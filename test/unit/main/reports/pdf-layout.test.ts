/**
 * The PDF of a 3-variant quick experiment: nothing overflows the printed page, and it fits in a
 * few pages. The layout is measured with Chromium's own layout at the PDF's printable width
 * (print media), then the PDF is printed and rendered to PNG pages (pdftoppm) as test artefacts
 * under test-artifacts/reports/pdf-pages/.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { withReportPage } from '../../../../main/reports/chromium.js';
import { renderHtml } from '../../../../main/reports/html.js';
import { exportReport } from '../../../../main/reports/index.js';
import { PDF_PRINTABLE_WIDTH_PX } from '../../../../main/reports/pdf.js';
import { artifactsDir, pdfText, requireChromium } from './chromium-required.js';
import { buildReportData } from './fixtures.js';

let executablePath: string;
beforeAll(() => {
  executablePath = requireChromium();
});

/** bn-simple at quick scale: 3 variants, 5 ReLU layers with gradient probes, 3 epochs, 2 seeds. */
function quickExperiment(): ReturnType<typeof buildReportData> {
  return buildReportData({
    name: 'bn-simple-quick',
    variants: [
      { name: 'no-bn' },
      { name: 'bn-before', bn: 'before-activation' },
      { name: 'bn-after', bn: 'after-activation' },
    ],
    seeds: 2,
    epochs: 3,
    layers: ['conv1', 'conv2', 'conv3', 'conv4', 'dense1'],
    // Seed 2 of no-bn stays at chance: a run that did not learn, as quick runs sometimes do.
    valAccuracy: (variant, seed, epoch) =>
      variant.bn === 'none' && seed === 1
        ? 0.1
        : (variant.bn === 'none' ? 0.9 : 0.95) *
            (1 - Math.exp(-(variant.bn === 'none' ? 0.6 : 1.4) * epoch)) -
          0.01 * seed,
    valLoss: (variant, seed, epoch) =>
      variant.bn === 'none' && seed === 1 ? 2.31 : 2.3 * Math.exp(-0.45 * epoch) + 0.08,
    layerExtras: (variant, seed, epoch, layer) => ({
      gradNorm: 0.5 / (epoch + 1) + layer.length * 0.01,
      zeroGradFraction: variant.bn === 'none' ? 0.05 * epoch : 0,
    }),
  });
}

interface Overflow {
  what: string;
  right: number;
}

describe('PDF layout of a 3-variant quick experiment', () => {
  it('lays out every table and chart inside the printable width', async () => {
    const html = await renderHtml(quickExperiment());
    const overflows = await withReportPage(
      html,
      { executablePath, media: 'print', viewportWidth: PDF_PRINTABLE_WIDTH_PX },
      async ({ page, errors }) => {
        expect(errors).toEqual([]);
        return page.evaluate<{ width: number; overflows: Overflow[]; tables: number }>(`(() => {
          const width = document.documentElement.clientWidth;
          const items = [...document.querySelectorAll('table, figure.chart, canvas, dl, section')];
          const overflows = items
            .map((el) => ({
              what: el.tagName.toLowerCase() + (el.dataset.testid ? '[' + el.dataset.testid + ']' : el.id ? '#' + el.id : ''),
              right: Math.ceil(el.getBoundingClientRect().right),
              scroll: el.scrollWidth - el.clientWidth,
            }))
            .filter((x) => x.right > width || x.scroll > 1);
          return { width, overflows, tables: document.querySelectorAll('table').length };
        })()`);
      },
    );
    expect(overflows.width).toBe(PDF_PRINTABLE_WIDTH_PX);
    expect(overflows.tables).toBeGreaterThanOrEqual(2);
    expect(overflows.overflows).toEqual([]);
  });

  it('prints in a few pages, written as PNG pages for a look', async () => {
    const data = quickExperiment();
    const dir = join(artifactsDir(), 'pdf-pages');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const pdf = join(dir, 'bn-simple-quick.pdf');
    await exportReport(data, 'pdf', pdf, { chromiumPath: executablePath });
    try {
      execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(dir, 'page')]);
    } catch (error) {
      throw new Error(
        `rendering the PDF needs pdftoppm (Debian: apt-get install poppler-utils): ${String(error)}`,
      );
    }
    const pages = readdirSync(dir).filter((f) => f.endsWith('.png'));
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.length).toBeLessThanOrEqual(6);
    // Before this layout the same report printed on 14 pages, its conclusions table cut off.
    const text = pdfText(pdf);
    expect(text).toContain('Conclusions per variant');
    // Column headers in words, each defined under its table.
    expect(text).toMatch(/epochs to match the\s+baseline:\s*per seed/);
    expect(text).toMatch(/overfitting gap \(loss\):\s*validation loss minus training loss/);
    expect(text).toContain('Dead or saturated units after training');
  });
});

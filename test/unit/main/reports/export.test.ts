import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  ChromiumMissingError,
  defaultReportName,
  findChromium,
  exportReport,
  renderReport,
} from '../../../../main/reports/index.js';
import type { ReportJson } from '../../../../main/reports/json.js';
import { artifactsDir, pdfText, requireChromium } from './chromium-required.js';
import { buildReportData } from './fixtures.js';

/** Width, height and the RGBA of pixel (0, 0) of an 8-bit RGBA PNG. */
function pngCorner(bytes: Uint8Array): { width: number; height: number; corner: number[] } {
  const buf = Buffer.from(bytes);
  expect(buf.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < buf.length;) {
    const length = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat.push(buf.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  // Row 0 starts with its filter byte; whatever the filter, the first pixel of row 0 is stored as is.
  return { width, height, corner: [...raw.subarray(1, 5)] };
}

describe('exportReport', () => {
  it('writes JSON with a schema version, every run and event, and the analysis', async () => {
    const data = buildReportData();
    const dir = mkdtempSync(join(tmpdir(), 'bnlab-report-'));
    const name = defaultReportName(data, 'json');
    expect(name).toBe('exp-bn-simple-test.json');
    const result = await exportReport(data, 'json', join(dir, name));
    expect(result).toMatchObject({ format: 'json', complete: true, paths: [join(dir, name)] });
    const json = JSON.parse(readFileSync(join(dir, name), 'utf8')) as ReportJson;
    expect(json.schemaVersion).toBe(2);
    expect(json.kind).toBe('bnlab-report');
    expect(json.experiment).toEqual(data.experiment);
    expect(json.runs).toEqual(data.runs);
    expect(json.analysis.variants.map((v) => v.name)).toEqual(['no-bn', 'bn-before']);
    expect(readdirSync(dir)).toEqual([name]);
  });

  it('prints a PDF that has the experiment name and the conclusions in its text', async () => {
    requireChromium();
    const data = buildReportData({ name: 'pdf-check-experiment' });
    const path = join(artifactsDir(), defaultReportName(data, 'pdf'));
    const result = await exportReport(data, 'pdf', path);
    expect(result.paths).toEqual([path]);
    const text = pdfText(path);
    expect(text).toContain('pdf-check-experiment');
    expect(text).toContain('Conclusions per variant');
    expect(text).toContain('bn-before');
  });

  it('uses a supplied PDF printer (as the desktop app does) and says clearly when Chromium is missing', async () => {
    const data = buildReportData();
    const printed: string[] = [];
    const fake = await renderReport(data, 'pdf', {
      printToPdf: (html) => {
        printed.push(html);
        return Promise.resolve(new TextEncoder().encode('%PDF-1.7 stand-in'));
      },
    });
    expect(printed[0]).toContain('<h1>bn-simple-test</h1>');
    expect(fake.files).toHaveLength(1);
    const missing = renderReport(data, 'png', { chromiumPath: '/nonexistent/chromium' });
    await expect(missing).rejects.toThrow(/could not start Chromium at \/nonexistent\/chromium/);
    const saved = process.env.BNLAB_CHROMIUM;
    process.env.BNLAB_CHROMIUM = '/nonexistent/chromium';
    try {
      expect(() => findChromium()).toThrow(ChromiumMissingError);
      await expect(renderReport(data, 'pdf')).rejects.toThrow(
        /PDF and PNG reports need Chromium.*BNLAB_CHROMIUM=\/nonexistent\/chromium \(no such file\).*apt-get install chromium/s,
      );
    } finally {
      if (saved === undefined) delete process.env.BNLAB_CHROMIUM;
      else process.env.BNLAB_CHROMIUM = saved;
    }
    expect(new ChromiumMissingError(['/usr/bin/chromium']).message).toMatch(
      /apt-get install chromium.*BNLAB_CHROMIUM/s,
    );
  });

  it('writes one white-background PNG per chart into a folder', async () => {
    requireChromium();
    const data = buildReportData({ seeds: 1, epochs: 2, layers: ['conv1', 'dense1'] });
    const dir = join(mkdtempSync(join(tmpdir(), 'bnlab-report-')), defaultReportName(data, 'png'));
    const result = await exportReport(data, 'png', dir);
    // 2 curves + 2 layers × 3 epochs (0, 1, 2) × 2 sides + 2 dead-unit charts.
    expect(result.paths).toHaveLength(2 + 12 + 2);
    expect(readdirSync(dir).sort()).toEqual(
      result.paths.map((p) => p.slice(dir.length + 1)).sort(),
    );
    expect(readdirSync(dir)).toContain('01-loss.png');
    for (const path of result.paths) {
      const { width, height, corner } = pngCorner(readFileSync(path));
      expect([width, height]).toEqual([1120, 600]);
      expect(corner, `${path} has a white background`).toEqual([255, 255, 255, 255]);
    }
    writeFileSync(
      join(artifactsDir(), 'chart-accuracy.png'),
      readFileSync(join(dir, '02-accuracy.png')),
    );
  });
});

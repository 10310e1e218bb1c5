import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../../../main/reports/html.js';
import { buildReportData } from './fixtures.js';

describe('the HTML report’s conclusions', () => {
  it('flags runs that did not learn, lists the paired sentences and the seed’s claims with verdicts', async () => {
    const html = await renderHtml(
      buildReportData({
        seeds: 3,
        epochs: 3,
        valAccuracy: (variant, seed, epoch) =>
          variant.bn === 'none'
            ? seed === 2
              ? 0.1
              : [0.6, 0.8, 0.9][epoch - 1]!
            : [0.9, 0.95, 0.96][epoch - 1]!,
      }),
    );
    expect(html).toContain('<span class="flag" data-testid="not-learned">1 did not learn</span>');
    expect(html).toContain('<td>2 of 3 seeds; 1 did not learn</td>');
    expect(html).toContain('data-testid="paired-conclusions"');
    expect(html).toContain('<li>Left out: seed 3 (no-bn did not learn).</li>');
    expect(html).toMatch(/<tr data-claim="bn-speed" data-verdict="supports">/);
    expect(html).toMatch(/<tr data-claim="bn-never-die" data-verdict="contradicts">/);
    expect(html).not.toContain('data-testid="train-caveat"');
  });

  it('says when the train numbers come from older logs (running means)', async () => {
    const html = await renderHtml(buildReportData({ trainEvalImages: null }));
    expect(html).toMatch(
      /data-testid="train-caveat">Note: train numbers are the training-mode running mean/,
    );
  });
});

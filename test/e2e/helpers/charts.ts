/**
 * Reading the charts from the page: every chart figure carries `data-series` ("label: N points;
 * …") and `data-point-count`, the same text screen readers get as its label.
 */
import type { Locator, Page } from 'playwright-core';

/** Series label → number of points, as the chart currently shows them. */
export async function chartSeries(chart: Locator): Promise<Map<string, number>> {
  const text = (await chart.getAttribute('data-series')) ?? '';
  const out = new Map<string, number>();
  for (const part of text.split('; ')) {
    const m = /^(.*): (\d+) points$/.exec(part);
    if (m?.[1] !== undefined && m[2] !== undefined) out.set(m[1], Number(m[2]));
  }
  return out;
}

/** Points a chart shows in all its labelled series. */
export async function pointCount(chart: Locator): Promise<number> {
  return Number((await chart.getAttribute('data-point-count')) ?? '0');
}

/** Test ids of every chart figure whose test id starts with `prefix`. */
export async function chartIds(page: Page, prefix: string): Promise<string[]> {
  const figures = await page.locator(`figure[data-testid^="${prefix}"]`).all();
  const ids = await Promise.all(figures.map((f) => f.getAttribute('data-testid')));
  return ids.filter((id): id is string => Boolean(id));
}

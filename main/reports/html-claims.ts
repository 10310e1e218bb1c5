/** The report's "Claims of the seed presentation" section: claim, measurement, verdict. */
import type { ReportAnalysis } from './analysis.js';
import { escapeHtml as e } from './escape.js';

/** One row per checked claim; empty when the experiment tests none. */
export function claimsSection(analysis: ReportAnalysis): string {
  if (analysis.claims.length === 0) return '';
  const rows = analysis.claims.map(
    (c) =>
      `<tr data-claim="${e(c.claim.id)}" data-verdict="${e(c.verdict)}"><td><q>${e(c.claim.quote)}</q><div class="muted">${e(c.claim.slide)}</div></td><td>${e(c.comparison)}</td><td>${e(c.measured)}</td><td><span class="verdict-${e(c.verdict.replace(' ', '-'))}">${e(c.verdict)}</span><div class="muted">${e(c.why)}</div></td></tr>`,
  );
  return `<section id="claims"><h2>Claims of the seed presentation</h2>
<p class="muted">Each claim of the slides that this experiment tests, what it measured, and a verdict. <strong>supports</strong>: at least 2 seeds could be compared and every one went the way the slide says; <strong>contradicts</strong>: every one went the other way; <strong>cannot say</strong>: too few seeds (runs that did not learn are left out of accuracy and speed claims), seeds that disagree, no difference, or a measure these logs lack. The verdict follows this experiment's data, not the slides.</p>
<table data-testid="claims"><thead><tr><th>claim (slide)</th><th>compared</th><th>what this experiment measured</th><th>verdict</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

/**
 * The seed presentation's claims (../shared/seed/bn-dropout-presentation.txt) that an experiment
 * can test, matched from its variant specs (and, for the learning-rate question, its name), each
 * with what this experiment measured and a verdict (claim-verdict.ts). The lab may disagree with
 * the slides: a verdict follows the data, never the slide.
 */
import type { VariantSpec } from '../api/config.js';
import type { ReportAnalysis } from './analysis.js';
import { learningRateOf } from './baseline.js';
import type { ClaimCheck } from './claim-catalogue.js';
import { noTuningCheck, pairedChecks } from './claim-checks.js';
import {
  bnIdentityCheck,
  deadNoUpdateCheck,
  ensembleCheck,
  linearRegionCheck,
  neverDieCheck,
} from './claim-mechanisms.js';
import type { ReportData } from './data.js';

export type { Claim, ClaimCheck } from './claim-catalogue.js';
export { CLAIMS } from './claim-catalogue.js';

const hasBn = (v: VariantSpec): boolean => v.bn !== 'none';

/** Every claim the experiment tests, with its verdict; empty when it tests none. */
export function checkClaims(data: ReportData, analysis: ReportAnalysis): ClaimCheck[] {
  const variants = data.experiment.spec.variants;
  const checks: ClaimCheck[] = [];
  const lrs = new Set(variants.map(learningRateOf));
  const lrExperiment =
    lrs.size > 1 ||
    /learning-rate|(^|-)lr(-|$)/.test(data.experiment.preset ?? data.experiment.name);
  if (analysis.baselineKind === 'bn') {
    checks.push(...pairedChecks(data, analysis, 'bn'));
    const relu = variants.some((v) => v.activation === 'relu');
    if (relu) checks.push(...neverDieCheck(data, analysis), ...deadNoUpdateCheck(data));
    if (variants.some((v) => v.activation !== 'relu' && hasBn(v)))
      checks.push(...linearRegionCheck(data, analysis));
    checks.push(...bnIdentityCheck(data));
    if (lrExperiment) checks.push(...noTuningCheck(data, analysis));
  }
  if (analysis.baselineKind === 'dropout') {
    checks.push(...pairedChecks(data, analysis, 'dropout'));
    checks.push(...ensembleCheck(data));
  }
  return checks;
}

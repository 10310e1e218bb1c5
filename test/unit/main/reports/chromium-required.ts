/**
 * The report's browser tests need a real Chromium; without one they fail (never skip) and say how
 * to get one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { findChromium } from '../../../../main/reports/chromium.js';

/** Path of the Chromium to test with, or an error saying that these tests need one. */
export function requireChromium(): string {
  try {
    return findChromium();
  } catch (error) {
    throw new Error(
      `The report tests render the HTML report in Chromium and cannot run without it. ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

/** `pdftotext` (poppler-utils) output of a PDF file, or an error saying it is missing. */
export function pdfText(pdfPath: string): string {
  try {
    return execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' });
  } catch (error) {
    throw new Error(
      `reading the PDF needs pdftotext (Debian: apt-get install poppler-utils): ${String(error)}`,
    );
  }
}

/** test-artifacts/reports/ (gitignored), created. */
export function artifactsDir(): string {
  const dir = join(import.meta.dirname, '../../../../test-artifacts/reports');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * What the page does with an exported report (an experiment's or a comparison's): in browser mode
 * the lab hands back a same-origin URL and the page downloads it; the desktop app and the CLI have
 * saved it already (or the user cancelled the save dialog). Returns the sentence to show.
 */
import type { ReportResult } from '../../main/api/index.js';

export function deliverReport(result: ReportResult, what: string, unfinished: string): string {
  const partial = result.complete ? '' : ` (${unfinished})`;
  if (result.downloadUrl) {
    const a = document.createElement('a');
    a.href = result.downloadUrl;
    a.download = '';
    a.click();
    return `${what} ready${partial}.`;
  }
  return result.path ? `Saved to ${result.path}${partial}.` : 'Export cancelled.';
}

/** Small formatting helpers shared by the views. */
import type { RunStatus } from '../../main/api/index.js';

/** "93.4 %" or "—" for missing values (accuracy in [0, 1]). */
export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined ? '—' : `${(value * 100).toFixed(digits)} %`;
}

/** A date-time in the user's locale, or "—". */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "1 234" style integer. */
export function count(value: number): string {
  return Math.round(value).toLocaleString();
}

/** Whether a run can still change (so stop applies). */
export function isActive(status: RunStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** Whether a run can be resumed from its last checkpoint. */
export function isResumable(status: RunStatus): boolean {
  return status === 'stopped' || status === 'interrupted' || status === 'failed';
}

/** Status counts as "2 running · 1 completed". */
export function statusSummary(counts: Partial<Record<RunStatus, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => (n ?? 0) > 0)
    .map(([status, n]) => `${n} ${status}`);
  return parts.length ? parts.join(' · ') : 'no runs';
}

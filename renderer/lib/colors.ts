/**
 * Variant colours: Okabe–Ito, a palette that stays distinguishable for colour-blind readers and
 * on both light and dark backgrounds. Variant i of an experiment always gets colour i.
 */
const PALETTE = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#D55E00',
  '#56B4E9',
  '#9a8c00',
  '#7f7f7f',
] as const;

/** Colour of the i-th variant (cycles after eight). */
export function variantColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length] ?? '#0072B2';
}

/** `#rrggbb` with an alpha channel, for fills. */
export function withAlpha(hex: string, alpha: number): string {
  const a = Math.round(Math.min(1, Math.max(0, alpha)) * 255)
    .toString(16)
    .padStart(2, '0');
  return `${hex}${a}`;
}

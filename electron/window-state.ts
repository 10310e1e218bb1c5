/**
 * The main window's size, position and maximized flag, kept in `<userData>/window-state.json`.
 * The file is validated when read; a missing, corrupt or off-screen state falls back to defaults.
 */
import { readFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { formatIssues } from '../main/api/config.js';

export const WindowState = z.strictObject({
  width: z.int().min(400).max(16_384),
  height: z.int().min(300).max(16_384),
  /** Absent: let the OS place the window. */
  x: z.int().min(-32_768).max(32_768).optional(),
  y: z.int().min(-32_768).max(32_768).optional(),
  maximized: z.boolean(),
});
export type WindowState = z.infer<typeof WindowState>;

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Reads the state file. Never throws: a missing file gives the defaults; an unreadable or
 * invalid one gives the defaults and a warning naming the bad field.
 */
export function loadWindowState(
  file: string,
  warn: (message: string) => void = console.warn,
): WindowState {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    warn(`ignoring ${file}: not JSON (${error instanceof Error ? error.message : String(error)})`);
    return { ...DEFAULT_WINDOW_STATE };
  }
  const parsed = WindowState.safeParse(raw);
  if (!parsed.success) {
    warn(`ignoring ${file}: ${formatIssues(parsed.error)}`);
    return { ...DEFAULT_WINDOW_STATE };
  }
  return parsed.data;
}

/** Writes the state atomically (a crash mid-write leaves the old file). */
export async function saveWindowState(file: string, state: WindowState): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(WindowState.parse(state), null, 2)}\n`);
}

/**
 * Drops a saved position whose title bar would be on no display (a monitor was unplugged), so
 * the window never opens out of reach.
 */
export function placeOnScreen(state: WindowState, workAreas: readonly Rectangle[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  // The top 40 px of the window must be on some display, at least 100 px wide.
  const visible = workAreas.some(
    (area) =>
      x + state.width - 100 >= area.x &&
      x + 100 <= area.x + area.width &&
      y >= area.y &&
      y + 40 <= area.y + area.height,
  );
  if (visible) return state;
  return { width: state.width, height: state.height, maximized: state.maximized };
}

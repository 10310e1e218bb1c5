/**
 * Quitting while runs train. A run may have trained for an hour, so the user is asked first
 * (Quit / Cancel), whether they quit from the menu or close the window. Quitting interrupts the
 * runs through the lab — each trainer stops after its current batch (killed after a grace period
 * if it does not) and its run is kept `interrupted` with `QUIT_REASON`, resumable from its last
 * completed epoch — and the app exits once the lab is closed. The CLI and `bnlab serve` close
 * their lab the same way (main/lab/supervisor.ts `interrupt`).
 */
import { dialog, type App, type BrowserWindow, type MessageBoxOptions } from 'electron';
import type { Lab } from '../main/lab/types.js';

/** Recorded on every run the quit interrupts. */
export const QUIT_REASON = 'the app was quit while the run was training';

export interface QuitGuardOptions {
  app: Pick<App, 'on' | 'quit'>;
  getWindow(): BrowserWindow | null;
  getLab(): Lab | null;
  /** Runs once the quit is decided, before the lab closes (the IPC adapter stops). */
  beforeClose(): void;
}

/** The question, for `count` runs queued or training. */
export function quitQuestion(count: number): MessageBoxOptions {
  return {
    type: 'warning',
    title: 'Quit BN·Dropout Lab',
    message: count === 1 ? '1 run is still training.' : `${count} runs are still training.`,
    detail:
      'Quitting stops them after their current batch. They are kept as interrupted and can be resumed later from their last completed epoch.',
    buttons: ['Quit', 'Cancel'],
    defaultId: 1,
    cancelId: 1,
    noLink: true,
  };
}

/** Installs the quit sequence; call `watchWindow` on the main window. */
export function guardQuit(options: QuitGuardOptions): { watchWindow(window: BrowserWindow): void } {
  const { app } = options;
  let confirmed = false;
  let asking = false;
  let closing = false;
  let closed = false;
  const training = () => options.getLab()?.activeRuns() ?? 0;

  const ask = () => {
    if (asking) return;
    asking = true;
    const window = options.getWindow();
    const question = quitQuestion(training());
    (window ? dialog.showMessageBox(window, question) : dialog.showMessageBox(question))
      .then(({ response }) => {
        if (response !== 0) return;
        confirmed = true;
        app.quit();
      })
      .catch((error: unknown) => console.error(`could not ask before quitting: ${String(error)}`))
      .finally(() => (asking = false));
  };

  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    if (closing) return;
    if (!confirmed && training() > 0) return ask();
    confirmed = true;
    closing = true;
    options.beforeClose();
    (options.getLab()?.close(QUIT_REASON) ?? Promise.resolve())
      .catch((error: unknown) => console.error(`error while closing the lab: ${String(error)}`))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  return {
    watchWindow(window) {
      window.on('close', (event) => {
        if (confirmed || training() === 0) return;
        event.preventDefault();
        ask();
      });
    },
  };
}

import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, test, vi } from 'vitest';

const showMessageBox = vi.fn<(...args: unknown[]) => Promise<{ response: number }>>();
vi.mock('electron', () => ({ dialog: { showMessageBox } }));

const { guardQuit, quitQuestion, QUIT_REASON } = await import('../../../electron/quit.js');

/** An app whose `quit()` emits `before-quit` as Electron's does, and counts real exits. */
class App extends EventEmitter {
  exits = 0;
  quit = vi.fn(() => {
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exits += 1;
  });
}

function setUp(training: number) {
  const app = new App();
  const window = new EventEmitter();
  const lab = {
    activeRuns: vi.fn(() => training),
    close: vi.fn((_reason?: string) => Promise.resolve()),
  };
  const beforeClose = vi.fn();
  const guard = guardQuit({
    app: app as never,
    getWindow: () => window as never,
    getLab: () => lab as never,
    beforeClose,
  });
  guard.watchWindow(window as never);
  /** Emits the window's `close` as a user's click on its close button: true when prevented. */
  const closeWindow = () => {
    let prevented = false;
    window.emit('close', { preventDefault: () => (prevented = true) });
    return prevented;
  };
  return { app, window, lab, beforeClose, closeWindow };
}

beforeEach(() => showMessageBox.mockReset());

describe('quitting the desktop app', () => {
  test('with nothing training, it quits without asking, after closing the lab', async () => {
    const { app, lab, beforeClose, closeWindow } = setUp(0);
    expect(closeWindow()).toBe(false);
    app.quit();
    await vi.waitFor(() => expect(app.exits).toBe(1));
    expect(showMessageBox).not.toHaveBeenCalled();
    expect(beforeClose).toHaveBeenCalledOnce();
    expect(lab.close).toHaveBeenCalledWith(QUIT_REASON);
  });

  test('closing the window while runs train asks first; Cancel keeps the app and its runs', async () => {
    const { app, lab, closeWindow } = setUp(2);
    showMessageBox.mockResolvedValueOnce({ response: 1 });
    expect(closeWindow()).toBe(true);
    await vi.waitFor(() => expect(showMessageBox).toHaveBeenCalledOnce());
    expect(showMessageBox.mock.calls[0]?.[1]).toMatchObject({
      message: '2 runs are still training.',
      buttons: ['Quit', 'Cancel'],
      cancelId: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(app.quit).not.toHaveBeenCalled();
    expect(lab.close).not.toHaveBeenCalled();
    expect(app.exits).toBe(0);
  });

  test('Quit in that question interrupts the runs with the quit reason, then exits', async () => {
    const { app, lab, beforeClose, closeWindow } = setUp(1);
    showMessageBox.mockResolvedValueOnce({ response: 0 });
    expect(closeWindow()).toBe(true);
    await vi.waitFor(() => expect(app.exits).toBe(1));
    expect(showMessageBox).toHaveBeenCalledOnce();
    expect(beforeClose).toHaveBeenCalledOnce();
    expect(lab.close).toHaveBeenCalledOnce();
    expect(lab.close).toHaveBeenCalledWith(QUIT_REASON);
    // Once confirmed, the window closes without asking again.
    expect(closeWindow()).toBe(false);
  });

  test('the menu Quit while runs train asks once, however often it is clicked meanwhile', async () => {
    const { app, lab } = setUp(3);
    let answer: (value: { response: number }) => void = () => undefined;
    showMessageBox.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    app.quit();
    app.quit();
    expect(showMessageBox).toHaveBeenCalledOnce();
    expect(app.exits).toBe(0);
    answer({ response: 0 });
    await vi.waitFor(() => expect(app.exits).toBe(1));
    expect(lab.close).toHaveBeenCalledOnce();
  });

  test('the question names how many runs train', () => {
    expect(quitQuestion(1).message).toBe('1 run is still training.');
    expect(quitQuestion(4).message).toBe('4 runs are still training.');
    expect(quitQuestion(1).detail).toMatch(/interrupted.*resumed/);
  });
});

/**
 * The stand-in's channel to the test that started the app (Node IPC of `child_process.fork`):
 * the test clicks menu items and answers native dialogs; the app reports what the user would
 * see outside the page (dialogs, CSP violations, console errors).
 */
import type { ControlCommand, ControlReport, DialogKind } from './protocol.js';

let nextId = 1;
const answers = new Map<number, (result: unknown) => void>();
const commandHandlers: { [K in ControlCommand['kind']]?: (c: never) => void } = {};

/** Sends one report to the test (dropped when the app runs without a test, e.g. by hand). */
export function report(message: ControlReport): void {
  if (process.connected) process.send?.(message);
}

/** Shows a native dialog: the test decides what the user chooses. */
export function askTest(dialog: DialogKind, options: unknown): Promise<unknown> {
  const id = nextId++;
  return new Promise((resolve) => {
    answers.set(id, resolve);
    report({ kind: 'dialog', id, dialog, options: JSON.parse(JSON.stringify(options ?? {})) });
  });
}

/** Handles one kind of command from the test. */
export function onCommand<K extends ControlCommand['kind']>(
  kind: K,
  handler: (command: Extract<ControlCommand, { kind: K }>) => void,
): void {
  commandHandlers[kind] = handler;
}

process.on('message', (raw: unknown) => {
  const command = raw as ControlCommand;
  if (command.kind === 'dialog-answer') {
    answers.get(command.id)?.(command.result);
    answers.delete(command.id);
    return;
  }
  (commandHandlers[command.kind] as ((c: ControlCommand) => void) | undefined)?.(command);
});
// The test's channel must not keep the app alive: the app ends when it quits.
process.channel?.unref();

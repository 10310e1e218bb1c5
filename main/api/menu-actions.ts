/**
 * Application-menu actions the Electron main process sends to the renderer (`lab:menu`). Each is
 * an event, handled once by the view it is for: `new-experiment` opens the New-experiment view,
 * `import-experiment` carries the experiment file the user picked in the native open dialog
 * (the main process chooses every path, DESIGN §7; the renderer validates and creates it as an
 * imported file), `export-report` exports the experiment on screen. Quit stays in the main process.
 */
import { z } from 'zod';

/** Experiment files are a few kB of JSON; the main process refuses larger ones before reading. */
export const MAX_EXPERIMENT_FILE_BYTES = 1_000_000;

export const MenuAction = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('new-experiment') }),
  z.strictObject({
    kind: z.literal('import-experiment'),
    file: z.strictObject({
      /** The file's base name, for messages. */
      name: z.string().min(1).max(255),
      text: z.string().max(MAX_EXPERIMENT_FILE_BYTES),
    }),
  }),
  z.strictObject({ kind: z.literal('export-report') }),
]);
export type MenuAction = z.infer<typeof MenuAction>;
export type MenuActionKind = MenuAction['kind'];

/** Every kind of menu action, read off `MenuAction` (one list to keep). */
const MenuActionKindSchema = z.enum(MenuAction.options.map((option) => option.shape.kind.value));

/**
 * Renderer → main (`lab:menu-state`): the action kinds the views on screen handle now, sent
 * whenever a view starts or stops handling one. The main process enables the menu items whose
 * action would otherwise be dropped (Export Report… outside an experiment or a comparison).
 */
export const MenuState = z.strictObject({
  handled: z.array(MenuActionKindSchema).max(MenuActionKindSchema.options.length),
});
export type MenuState = z.infer<typeof MenuState>;

/** `dialog`: every native dialog is answered by the test (control.ts), modal or not. */
import { askTest } from './control.js';

/** Electron's optional first argument is the parent window; the options come last. */
function optionsOf(args: unknown[]): unknown {
  return args[args.length - 1];
}

export const dialog = {
  async showOpenDialog(...args: unknown[]) {
    const paths = (await askTest('open', optionsOf(args))) as string[] | null;
    return { canceled: !paths || paths.length === 0, filePaths: paths ?? [] };
  },
  async showSaveDialog(...args: unknown[]) {
    const file = (await askTest('save', optionsOf(args))) as string | null;
    return file ? { canceled: false, filePath: file } : { canceled: true, filePath: '' };
  },
  async showMessageBox(...args: unknown[]) {
    const response = (await askTest('message', optionsOf(args))) as number;
    return { response, checkboxChecked: false };
  },
  showErrorBox(title: string, content: string): void {
    void askTest('message', { type: 'error', message: title, detail: content });
  },
};

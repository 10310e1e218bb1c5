/**
 * The lab's hooks in the Electron app: native dialogs for the dataset source and report
 * destinations (the main process chooses every path; DESIGN §7), and PDF printing in an
 * offscreen window.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { app, BrowserWindow, dialog } from 'electron';
import type { ReportFormat } from '../main/api/contract.js';
import type { LabHooks } from '../main/lab/types.js';
import { hardenWebContents } from './security.js';

const FORMAT_NAMES: Record<ReportFormat, string> = {
  html: 'HTML report',
  pdf: 'PDF report',
  csv: 'CSV table',
  json: 'JSON data',
  png: 'PNG image',
};

/** Hooks whose dialogs are modal to the window `getWindow` returns (if any). */
export function createDialogHooks(getWindow: () => BrowserWindow | null): LabHooks {
  const parent = () => {
    const window = getWindow();
    return window && !window.isDestroyed() ? window : null;
  };
  return {
    async chooseDatasetSource() {
      const options: Electron.OpenDialogOptions = {
        title: 'Import CIFAR-10',
        buttonLabel: 'Import',
        message: 'Choose cifar-10-binary.tar.gz or its extracted folder',
        // Linux and Windows cannot mix file and folder pickers; the archive is the common case.
        properties: process.platform === 'darwin' ? ['openFile', 'openDirectory'] : ['openFile'],
        filters: [
          { name: 'CIFAR-10 binary archive', extensions: ['gz', 'tgz'] },
          { name: 'All files', extensions: ['*'] },
        ],
      };
      const window = parent();
      const result = window
        ? await dialog.showOpenDialog(window, options)
        : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
    async chooseReportPath(defaultName: string, format: ReportFormat) {
      const options: Electron.SaveDialogOptions = {
        title: 'Export report',
        defaultPath: path.join(app.getPath('documents'), defaultName),
        filters: [{ name: FORMAT_NAMES[format], extensions: [format] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const window = parent();
      const result = window
        ? await dialog.showSaveDialog(window, options)
        : await dialog.showSaveDialog(options);
      return result.canceled || !result.filePath ? null : result.filePath;
    },
    printToPdf,
  };
}

/**
 * Renders report HTML to PDF in a hidden window with JavaScript off and a session of its own
 * (the report is self-contained: inline styles, charts as images).
 */
export async function printToPdf(html: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bnlab-pdf-'));
  const file = path.join(dir, 'report.html');
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      offscreen: true,
      partition: 'bnlab-pdf',
    },
  });
  hardenWebContents(window.webContents);
  try {
    await writeFile(file, html);
    await window.loadFile(file);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

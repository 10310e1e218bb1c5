/**
 * The lab's hooks in the Electron app: native dialogs for the dataset source and report
 * destinations (the main process chooses every path; DESIGN §7), and PDF printing in an
 * offscreen window (Chromium's own printer, so the app needs no separate browser for PDFs).
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, session } from 'electron';
import type { ReportFormat } from '../main/api/contract.js';
import { MAX_EXPERIMENT_FILE_BYTES, type MenuAction } from '../main/api/menu-actions.js';
import type { LabHooks } from '../main/lab/types.js';
import { BROWSER_STEP_TIMEOUT_MS, waitForReportReady } from '../main/reports/chromium.js';
import { denyPermissions, hardenWebContents } from './security.js';

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

type ChosenFile = Extract<MenuAction, { kind: 'import-experiment' }>['file'];

/**
 * File → Open / Import…: the native open dialog for an experiment file, read here (the page
 * cannot open a file picker from a menu: Chromium shows one only on a user gesture in the page).
 * Null when cancelled; a file too large or unreadable is reported in an error box, then null.
 */
export async function chooseExperimentFile(
  window: BrowserWindow | null,
): Promise<ChosenFile | null> {
  const options: Electron.OpenDialogOptions = {
    title: 'Import experiment file',
    buttonLabel: 'Import',
    properties: ['openFile'],
    filters: [
      { name: 'Experiment file (JSON)', extensions: ['json'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const result = window
    ? await dialog.showOpenDialog(window, options)
    : await dialog.showOpenDialog(options);
  const file = result.canceled ? undefined : result.filePaths[0];
  if (!file) return null;
  try {
    const { size } = await stat(file);
    if (size > MAX_EXPERIMENT_FILE_BYTES) {
      throw new Error(
        `it is ${(size / 1e6).toFixed(1)} MB; an experiment file is a few kB of JSON (at most 1 MB)`,
      );
    }
    return { name: path.basename(file), text: await readFile(file, 'utf8') };
  } catch (error) {
    dialog.showErrorBox(
      'Cannot import this file',
      `${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
    return null;
  }
}

/** The report files being printed; the print session loads these and nothing else. */
const reportUrls = new Set<string>();
let printSessionReady = false;

function printSession(): Electron.Session {
  const printing = session.fromPartition('bnlab-pdf');
  if (!printSessionReady) {
    printing.webRequest.onBeforeRequest((details, callback) =>
      callback({ cancel: !reportUrls.has(details.url) }),
    );
    denyPermissions(printing);
    printSessionReady = true;
  }
  return printing;
}

const READY_POLL_MS = 100;

/**
 * Renders report HTML to PDF in a hidden window of its own session, with every request but the
 * report file cancelled. The report draws its charts with its inline script; printing waits for
 * `REPORT_READY_EXPRESSION` (main/reports/chromium.ts), as the headless-Chromium printer does.
 */
export async function printToPdf(html: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'bnlab-pdf-'));
  const file = path.join(dir, 'report.html');
  const reportUrl = pathToFileURL(file).href;
  const pdfSession = printSession();
  reportUrls.add(reportUrl);
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      offscreen: true,
      session: pdfSession,
    },
  });
  hardenWebContents(window.webContents);
  try {
    await writeFile(file, html);
    await window.loadFile(file);
    await waitUntilDrawn(window.webContents);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    reportUrls.delete(reportUrl);
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}

async function waitUntilDrawn(contents: Electron.WebContents): Promise<void> {
  // As generous as the headless printer's: a busy machine draws slowly, that is no failure.
  await waitForReportReady(
    (expression) => contents.executeJavaScript(expression),
    BROWSER_STEP_TIMEOUT_MS,
    READY_POLL_MS,
  );
  const failure: unknown = await contents.executeJavaScript('window.__reportError ?? null');
  if (typeof failure === 'string')
    throw new Error(`the report page failed to draw its charts: ${failure}`);
}

/**
 * Registers the Chart.js pieces the app uses (tree-shaken build) and reads theme colours from
 * the CSS variables, so charts follow the light/dark theme.
 */
import {
  Chart,
  Decimation,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
} from 'chart.js';
import zoomPlugin from 'chartjs-plugin-zoom';

let registered = false;

/**
 * Registers the line-chart components once, with chartjs-plugin-zoom (drag-to-zoom and its
 * reset), the log scale (log-y for loss) and Chart.js's own decimation of long per-batch series.
 */
export function registerCharts(): void {
  if (registered) return;
  Chart.register(
    LineController,
    LineElement,
    PointElement,
    LinearScale,
    Filler,
    Legend,
    Title,
    Tooltip,
    LogarithmicScale,
    Decimation,
    zoomPlugin,
  );
  registered = true;
}

export interface ThemeColors {
  /** Page background (the PNG download's backdrop). */
  background: string;
  text: string;
  muted: string;
  grid: string;
}

/** Current theme colours from the document's CSS variables. */
export function themeColors(): ThemeColors {
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    background: read('--bg', '#ffffff'),
    text: read('--fg', '#1b1f24'),
    muted: read('--muted', '#57606a'),
    grid: read('--grid', '#d0d7de'),
  };
}

/** Calls `listener` when the system switches between light and dark; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  const query = window.matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', listener);
  return () => query.removeEventListener('change', listener);
}

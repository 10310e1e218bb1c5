/**
 * In the page: which GPU adapter (WebGPU) or renderer (WebGL) the browser engine gives us, and
 * whether it is a software one. main/ has no DOM typings (it is Node code), so the few browser
 * objects used here are typed structurally.
 */
import type { AdapterInfo, GpuBackendName } from '../../api/engine-protocol.js';

/** Software rasterisers and fallback adapters: correct, but no faster than the CPU backends. */
export const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|softpipe|warp|basic render/i;

interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapter {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
}
interface BrowserGlobals {
  navigator?: { gpu?: { requestAdapter(): Promise<GpuAdapter | null> } };
  document?: { createElement(tag: 'canvas'): { getContext(kind: string): GlContext | null } };
}
interface GlContext {
  RENDERER: number;
  VENDOR: number;
  getExtension(
    name: string,
  ): { UNMASKED_RENDERER_WEBGL: number; UNMASKED_VENDOR_WEBGL: number } | null;
  getParameter(name: number): unknown;
}

/** Describes the adapter `backend` would run on; throws, saying why, when there is none. */
export async function detectAdapter(backend: GpuBackendName): Promise<AdapterInfo> {
  const g = globalThis as BrowserGlobals;
  if (backend === 'webgpu') {
    const gpu = g.navigator?.gpu;
    if (!gpu) throw new Error('this browser engine has no WebGPU (navigator.gpu is missing)');
    const adapter = await gpu.requestAdapter();
    if (!adapter) throw new Error('WebGPU found no adapter (no GPU, or blocked by the driver)');
    const info = adapter.info ?? {};
    const vendor = info.vendor ?? '';
    const architecture = info.architecture ?? '';
    const description = [info.device, info.description].filter(Boolean).join(' ');
    const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter ?? false;
    const software = fallback || SOFTWARE_ADAPTER.test(`${vendor} ${architecture} ${description}`);
    return { backend, vendor, architecture, description, software };
  }
  const gl =
    g.document?.createElement('canvas').getContext('webgl2') ??
    g.document?.createElement('canvas').getContext('webgl') ??
    null;
  if (!gl) throw new Error('this browser engine has no WebGL context (no GPU, or blocked)');
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  const vendor = String(gl.getParameter(ext ? ext.UNMASKED_VENDOR_WEBGL : gl.VENDOR));
  return {
    backend,
    vendor,
    architecture: renderer,
    description: renderer,
    software: SOFTWARE_ADAPTER.test(`${vendor} ${renderer}`),
  };
}

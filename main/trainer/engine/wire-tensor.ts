/**
 * Typed arrays ↔ `WireTensor` (base64 of little-endian bytes). Runs in Node and in the browser
 * bundle alike: Node's Buffer when present (fast), `btoa`/`atob` otherwise.
 */
import type { WireTensor } from '../../api/engine-protocol.js';

/** A tensor's values outside tfjs: what crosses between the run driver and a tensor engine. */
export interface HostTensor {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  data: Float32Array | Int32Array;
}

interface NodeBuffer {
  from(data: ArrayBufferLike, offset: number, length: number): { toString(enc: 'base64'): string };
  from(text: string, enc: 'base64'): Uint8Array;
}
const NodeBuffer = (globalThis as { Buffer?: NodeBuffer }).Buffer;

/** Encodes a host tensor for the wire. */
export function toWire(t: HostTensor): WireTensor {
  const { buffer, byteOffset, byteLength } = t.data;
  let base64: string;
  if (NodeBuffer) {
    base64 = NodeBuffer.from(buffer, byteOffset, byteLength).toString('base64');
  } else {
    const bytes = new Uint8Array(buffer, byteOffset, byteLength);
    let text = '';
    // String.fromCharCode takes arguments: chunks keep the call stack small.
    for (let i = 0; i < bytes.length; i += 0x8000)
      text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    base64 = btoa(text);
  }
  return { name: t.name, shape: [...t.shape], dtype: t.dtype, base64 };
}

/** Decodes a wire tensor; throws, naming the tensor, when its bytes do not fit its shape. */
export function fromWire(w: WireTensor): HostTensor {
  let bytes: Uint8Array;
  if (NodeBuffer) {
    bytes = new Uint8Array(NodeBuffer.from(w.base64, 'base64'));
  } else {
    const text = atob(w.base64);
    bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  }
  const size = w.shape.reduce((a, b) => a * b, 1);
  if (bytes.byteLength !== size * 4) {
    throw new Error(
      `tensor ${w.name || '(unnamed)'}: ${bytes.byteLength} bytes do not fit shape [${w.shape.join(', ')}]`,
    );
  }
  // A fresh, aligned buffer (a Buffer may be a slice of a shared pool at an odd offset).
  const copy = bytes.slice().buffer;
  const data = w.dtype === 'int32' ? new Int32Array(copy) : new Float32Array(copy);
  return { name: w.name, shape: [...w.shape], dtype: w.dtype, data };
}

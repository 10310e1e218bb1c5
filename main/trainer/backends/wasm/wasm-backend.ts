import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs-backend-wasm's `BackendWasm` the project's kernels use. The class is not
 * exported from the package's entry point, so its shape is declared here (tfjs 4.22).
 */
export interface WasmBackendLike {
  wasm: {
    HEAPU8: Uint8Array;
    HEAPF32: Float32Array;
    _malloc(bytes: number): number;
    _free(ptr: number): void;
  };
  dataIdMap: {
    get(
      dataId: object,
    ): { id: number; memoryOffset: number; shape: number[]; dtype: DataType } | undefined;
  };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
  /** One more reference to a tensor's data (kernels that return their input's data). */
  incRef(dataId: object): void;
}

/** Narrows a kernel's `backend` argument; fails clearly if a kernel runs on another backend. */
export function asWasmBackend(backend: unknown, kernel: string): WasmBackendLike {
  const b = backend as Partial<WasmBackendLike> | null;
  if (b === null || typeof b !== 'object' || b.wasm === undefined || b.dataIdMap === undefined) {
    throw new Error(`${kernel}: expected the tfjs wasm backend`);
  }
  return b as WasmBackendLike;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(backend: WasmBackendLike, info: TensorInfo): number {
  const entry = backend.dataIdMap.get(info.dataId);
  if (entry === undefined)
    throw new Error(
      `wasm kernel: tensor data ${JSON.stringify(info.shape)} is not on the wasm backend`,
    );
  return entry.memoryOffset;
}

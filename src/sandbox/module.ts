import { newQuickJSWASMModule, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';

// Node has it; lib ES2023 and @types/node just don't declare it.
declare const WebAssembly: { Memory: new (limits: { initial: number; maximum: number }) => object };

const PAGE_BYTES = 65_536;
/** The release build's INITIAL_MEMORY (16 MiB): its stack, static data and a first heap; it cannot start smaller. */
const BASE_PAGES = 256;
/** The Emscripten glue never grows memory past 2 GiB. */
const MAX_PAGES = 32_768;

let cached: { memoryBytes: number; module: Promise<QuickJSWASMModule> } | undefined;

/**
 * The QuickJS WASM module whose instance may grow by `memoryBytes` beyond its base and no further, so
 * a function gets `memoryBytes` plus the ~10 MiB of the base that QuickJS leaves free.
 *
 * This is the real memory limit: in this Emscripten build `runtime.setMemoryLimit` adds 8 bytes per
 * allocation whatever its size (malloc_usable_size is 0), so it only rejects single allocations over
 * the limit. A capped linear memory makes malloc fail instead, and QuickJS throws "out of memory".
 * Runs are synchronous, so one module per thread (each pool worker has its own) serves every call with the same
 * limit, one runtime at a time.
 */
export function quickjsFor(memoryBytes: number): Promise<QuickJSWASMModule> {
  if (cached?.memoryBytes !== memoryBytes) {
    const maximum = Math.min(MAX_PAGES, BASE_PAGES + Math.ceil(memoryBytes / PAGE_BYTES));
    const wasmMemory = new WebAssembly.Memory({ initial: BASE_PAGES, maximum });
    const entry = { memoryBytes, module: newQuickJSWASMModule(newVariant(RELEASE_SYNC, { wasmMemory })) };
    entry.module.catch(() => {
      if (cached === entry) cached = undefined;
    });
    cached = entry;
  }
  return cached.module;
}

/** Drops the cached module, e.g. after the host stack overflowed inside it and left it in an unknown state. */
export function discardQuickJS(): void {
  cached = undefined;
}

/**
 * Loading the WebAssembly module. One compiled `WebAssembly.Module` is shared;
 * each `Machine` is a fresh instance of it (its own linear memory), created
 * through the compiler's generated bindings (`--bindings raw`).
 *
 * Nothing here imports Node: browsers pass a Module they compiled themselves
 * (e.g. `WebAssembly.compileStreaming(fetch(url))`); Node uses `src/node/load.ts`.
 */
import { instantiate as instantiateRelease } from "../build/release.js";
import { instantiate as instantiateDebug } from "../build/debug.js";

/** `release`: -O3, no assertions (users, benchmarks). `debug`: every `if (DEBUG) assert` checked (tests). */
export type Variant = "release" | "debug";

export type Exports = Awaited<ReturnType<typeof instantiateRelease>>;

export async function instantiateModule(module: WebAssembly.Module, variant: Variant): Promise<Exports> {
  const inst = variant === "debug" ? instantiateDebug : instantiateRelease;
  return (await inst(module, { env: {} })) as Exports;
}

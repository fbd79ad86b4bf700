/**
 * Loading the WebAssembly module. One compiled `WebAssembly.Module` is shared;
 * each `Machine` is a fresh instance of it (its own linear memory), created
 * through the compiler's generated bindings (`--bindings raw`).
 *
 * Nothing here imports Node: browsers pass a Module they compiled themselves
 * (e.g. `WebAssembly.compileStreaming(fetch(url))`); Node uses `src/node/load.ts`.
 */
import { instantiate as instantiateRelease } from "../build/release.js";

/** `release`: -O3, no assertions (users, benchmarks). `debug`: every `if (DEBUG) assert` checked (tests). */
export type Variant = "release" | "debug";

export type Exports = Awaited<ReturnType<typeof instantiateRelease>>;

export async function instantiateModule(module: WebAssembly.Module, variant: Variant): Promise<Exports> {
  // The debug bindings only when asked for (tests, --debug): a release run does not load them.
  const inst = variant === "debug" ? (await import("../build/debug.js")).instantiate : instantiateRelease;
  let memory: WebAssembly.Memory | undefined;
  const host = {
    /** repr(float) for the evaluator: writes ASCII at dst, returns its length. */
    formatFloat(v: number, dst: number, cap: number): number {
      const text = pyFloatRepr(v);
      const bytes = new Uint8Array(memory!.buffer, dst, Math.min(cap, text.length));
      for (let i = 0; i < bytes.length; i++) bytes[i] = text.charCodeAt(i);
      return bytes.length;
    },
  };
  const x = (await inst(module, { host, env: {} } as never)) as Exports;
  memory = x.memory;
  return x;
}

/** Python's repr(float): shortest round-trip digits (as JavaScript's), in Python's notation. */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const abs = Math.abs(v);
  if (abs >= 1e16 || abs < 1e-4) {
    // Python switches to exponent notation outside [1e-4, 1e16).
    let [m, e] = v.toExponential().split("e");
    if (!m.includes(".") && false) m += ".0";
    const exp = Number(e);
    return `${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  const s = String(v);
  return s.includes(".") ? s : s + ".0";
}

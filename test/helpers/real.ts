import { existsSync } from "node:fs";
import { findPython } from "../../src/real/discover.js";

/** True when real runs are possible here: Linux with smaps_rollup and the CPython `version` installed. */
export function haveRealPython(version: string): boolean {
  if (process.platform !== "linux" || !existsSync("/proc/self/smaps_rollup")) return false;
  try {
    findPython(version);
    return true;
  } catch {
    return false;
  }
}

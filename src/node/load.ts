/** Node-only: finds build/<variant>.wasm of this package and compiles it once per process. */
import { readFileSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Variant } from "../wasm.js";
import { CowsimError } from "../errors.js";

const cache = new Map<Variant, WebAssembly.Module>();

/** The package root: the nearest ancestor of this file holding package.json and build/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "assembly"))) return dir;
    dir = dirname(dir);
  }
  throw new CowsimError("cannot find the cowsim package root (package.json beside assembly/)");
}

export function loadModule(variant: Variant = "release"): WebAssembly.Module {
  let m = cache.get(variant);
  if (!m) {
    const file = join(packageRoot(), "build", `${variant}.wasm`);
    if (!existsSync(file)) throw new CowsimError(`${file} is missing: run \`npm run build\` first`);
    m = new WebAssembly.Module(readFileSync(file));
    cache.set(variant, m);
  }
  return m;
}

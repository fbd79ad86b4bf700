// Copies the compiler's generated bindings (build/*.js) next to the compiled host (dist/build/),
// where dist/src/wasm.js imports them. tsc does not emit them: the .d.ts beside each takes precedence.
import { mkdirSync, copyFileSync } from "node:fs";
mkdirSync("dist/build", { recursive: true });
for (const f of ["release.js", "debug.js"]) copyFileSync(`build/${f}`, `dist/build/${f}`);

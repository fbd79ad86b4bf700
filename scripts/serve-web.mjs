#!/usr/bin/env node
/**
 * Serves the package root over HTTP on localhost so that web/index.html can load dist/, build/ and
 * the yaml package's browser build (a page cannot import modules from file: URLs).
 *
 *   node scripts/serve-web.mjs [PORT]      (npm run web; PORT 0 or absent: any free port)
 *
 * Prints the page's address. Exported for the tests: serve(root, port) → { url, close }.
 */
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".map": "application/json",
  ".json": "application/json",
  ".wasm": "application/wasm",
  ".yaml": "text/plain; charset=utf-8",
  ".css": "text/css",
};

export function serve(root, port = 0) {
  root = resolve(root);
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url, "http://x").pathname));
    const file = join(root, path);
    if (!(file === root || file.startsWith(root + sep))) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file.endsWith(sep) ? join(file, "index.html") : file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((ok, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", () => {
      const { port: p } = server.address();
      ok({ url: `http://127.0.0.1:${p}/web/index.html`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(fileURLToPath(import.meta.url), "..", "..");
  const { url } = await serve(root, Number(process.argv[2] ?? 8080));
  console.log(`cowsim in the browser: ${url}  (Ctrl-C stops)`);
}

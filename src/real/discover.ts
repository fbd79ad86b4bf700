/**
 * Finding a real CPython for a profile ("2.7", "3.6" … "3.13") and checking the machine can measure.
 *
 * Order: an explicit path (checked to be that version); pyenv installs (`pyenv root`, $PYENV_ROOT,
 * ~/.pyenv, /root/.pyenv: versions/X.Y.Z, highest patch first); then `pythonX.Y` on PATH (pyenv shims
 * are skipped: they exec another program, slowly and by their own rules).
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { delimiter, join } from "node:path";
import { CowsimError } from "../errors.js";

export interface FoundPython {
  /** Executable to spawn. */
  path: string;
  /** "X.Y" */
  profile: string;
  /** Full version, e.g. "3.11.7". */
  version: string;
}

/** Throws unless this machine can measure real processes (Linux with /proc/PID/smaps_rollup, kernel 4.14+). */
export function checkMachine(): void {
  if (process.platform !== "linux") {
    throw new CowsimError(`real runs need Linux (/proc/PID/smaps_rollup); this is ${process.platform}`);
  }
  if (!existsSync("/proc/self/smaps_rollup")) {
    throw new CowsimError("real runs need /proc/PID/smaps_rollup (Linux 4.14 or later); this kernel has none");
  }
}

/** Ask an interpreter its version; undefined if it does not run. */
export function pythonVersion(path: string): string | undefined {
  try {
    const out = execFileSync(path, ["-c", "import sys; sys.stdout.write('%d.%d.%d' % sys.version_info[:3])"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
      timeout: 20_000,
    });
    return /^\d+\.\d+\.\d+$/.test(out.trim()) ? out.trim() : undefined;
  } catch {
    return undefined;
  }
}

function profileOf(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

function pyenvRoots(): string[] {
  const roots: string[] = [];
  try {
    const r = execFileSync("pyenv", ["root"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 10_000 }).trim();
    if (r) roots.push(r);
  } catch {
    /* no pyenv on PATH */
  }
  if (process.env.PYENV_ROOT) roots.push(process.env.PYENV_ROOT);
  roots.push(join(homedir(), ".pyenv"), "/root/.pyenv");
  return [...new Set(roots)];
}

function cmpVersions(a: string, b: string): number {
  const pa = a.split(/[.]/).map((x) => parseInt(x, 10) || 0);
  const pb = b.split(/[.]/).map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** All candidate executables for a profile, best first (not yet run). */
export function candidates(profile: string): string[] {
  const out: string[] = [];
  for (const root of pyenvRoots()) {
    const dir = join(root, "versions");
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    const matching = names.filter((n) => n === profile || n.startsWith(profile + ".")).filter((n) => /^\d+\.\d+(\.\d+)?$/.test(n));
    matching.sort(cmpVersions).reverse();
    for (const n of matching) {
      for (const exe of [`python${profile}`, "python"]) {
        const p = join(dir, n, "bin", exe);
        if (existsSync(p)) {
          out.push(p);
          break;
        }
      }
    }
  }
  for (const d of (process.env.PATH ?? "").split(delimiter)) {
    if (!d || /[\\/]shims[\\/]?$/.test(d)) continue;
    const p = join(d, `python${profile}`);
    try {
      if (statSync(p).isFile()) out.push(p);
    } catch {
      /* not here */
    }
  }
  const seen = new Set<string>();
  return out.filter((p) => {
    let key = p;
    try {
      key = realpathSync(p);
    } catch {
      /* keep p */
    }
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The interpreter for `profile`, or an explicit one (which must be that version). */
export function findPython(profile: string, explicit?: string): FoundPython {
  if (explicit) {
    const version = pythonVersion(explicit);
    if (!version) throw new CowsimError(`cannot run python "${explicit}"`);
    if (profileOf(version) !== profile) {
      throw new CowsimError(`python "${explicit}" is ${version}, but the scenario asks for ${profile}`);
    }
    return { path: explicit, profile, version };
  }
  for (const p of candidates(profile)) {
    const version = pythonVersion(p);
    if (version && profileOf(version) === profile) return { path: p, profile, version };
  }
  throw new CowsimError(
    `no CPython ${profile} found (looked in pyenv versions and for python${profile} on PATH); install it or pass its path`,
  );
}

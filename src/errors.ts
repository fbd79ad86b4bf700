/**
 * Errors cowsim reports to a user. Every bad input ends as one `CowsimError`:
 * a one-line message saying what went wrong and where (file, step, line, column),
 * printed without a stack trace, exit code 2.
 */

/** Where in a scenario something happened; every part is optional. */
export interface Where {
  file?: string;
  /** 1-based index of the step in `steps`. */
  step?: number;
  /** 1-based line within the step's Python source (or the file). */
  line?: number;
  /** 1-based column. */
  column?: number;
}

export class CowsimError extends Error {
  readonly exitCode: number;
  readonly where: Where;
  readonly what: string;
  constructor(what: string, where: Where = {}, exitCode = 2) {
    super(formatWhere(where) + what);
    this.name = "CowsimError";
    this.what = what;
    this.where = where;
    this.exitCode = exitCode;
  }
  /** The same error with more location filled in (outer layers add file/step). */
  at(more: Where): CowsimError {
    return new CowsimError(this.what, { ...more, ...this.where }, this.exitCode);
  }
}

export function formatWhere(w: Where): string {
  const parts: string[] = [];
  if (w.file) parts.push(w.file);
  if (w.step !== undefined) parts.push(`step ${w.step}`);
  if (w.line !== undefined) parts.push(`line ${w.line}` + (w.column !== undefined ? `, column ${w.column}` : ""));
  return parts.length ? parts.join(": ") + ": " : "";
}

/**
 * Build-wide switches and the error protocol between WebAssembly and the host.
 *
 * The debug target keeps every `if (DEBUG) assert(...)`; release builds
 * (`noAssert`) drop both the check and the condition.
 */

// @ts-ignore: decorator
@inline export const DEBUG: bool = !ASC_NO_ASSERT;

/*
 * Errors. Nothing in the module throws across the boundary: a call that fails
 * records an error code (and the address or value involved) here and returns a
 * harmless value; the host reads `lastError()` after each call and turns it into
 * a typed exception. A simulated fault is a *result*: the faulting process is
 * marked dead (as the kernel would kill it) and the machine stays usable.
 */
export const enum Err {
  NONE = 0,
  /** Access to an address no VMA covers: the process gets SIGSEGV. */
  SEGV = 1,
  /** The simulated machine's RAM is exhausted (OOM killer). */
  OOM = 2,
  /** WebAssembly's linear memory cannot grow any more (4 GiB ceiling or host refusal). */
  HOST_MEMORY = 3,
  /** An argument is out of range (size, alignment, page size, pid). */
  INVALID = 4,
  /** free() of a block that is already free. */
  DOUBLE_FREE = 5,
  /** free()/realloc() of a pointer the allocator never handed out. */
  BAD_FREE = 6,
  /** The pid names no live process. */
  NO_PROCESS = 7,
  /** Too many processes or mappings for the fixed tables. */
  LIMIT = 8,
}

let errCode: i32 = Err.NONE;
let errValue: u64 = 0;

/** Records the first error of a call (later ones are consequences of it). */
export function raise(code: i32, value: u64): void {
  if (errCode == Err.NONE) {
    errCode = code;
    errValue = value;
  }
}

export function lastError(): i32 {
  return errCode;
}

export function lastErrorValue(): u64 {
  return errValue;
}

export function clearError(): void {
  errCode = Err.NONE;
  errValue = 0;
}

// @ts-ignore: decorator
@inline export function failed(): bool {
  return errCode != Err.NONE;
}

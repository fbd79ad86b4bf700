/**
 * The WebAssembly module's exports: what the host (src/) calls.
 * One module, many instances: every instance is one simulated machine.
 */
export { lastError, lastErrorValue, clearError } from "./config";
export * from "./machine";

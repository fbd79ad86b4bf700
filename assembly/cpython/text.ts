/**
 * A byte buffer for building text (str(), repr, % formatting) without
 * AssemblyScript's managed strings: the module runs on the stub runtime, and
 * its linear memory beyond the static data belongs to kmem, so nothing here
 * may allocate a managed object.
 *
 * Float repr is asked of the host (`host.formatFloat`): the shortest text that
 * reads back, which JavaScript's Number#toString computes like Python's repr.
 */
import { kmemAlloc, kmemFree } from "../kernel/kmem";

let buf: usize = 0;
let cap: usize = 0;
export let textLen: usize = 0;

// @ts-ignore: decorator
@external("host", "formatFloat")
declare function hostFormatFloat(v: f64, dst: usize, cap: usize): i32;

export function textReset(): void {
  textLen = 0;
}

export function textPtr(): usize {
  return buf;
}

function reserve(n: usize): void {
  if (textLen + n <= cap) return;
  let ncap = max<usize>(256, (textLen + n) * 2);
  let nb = kmemAlloc(ncap);
  if (buf != 0) {
    memory.copy(nb, buf, textLen);
    kmemFree(buf, cap);
  }
  buf = nb;
  cap = ncap;
}

export function textByte(b: u32): void {
  reserve(1);
  store<u8>(buf + textLen, <u8>b);
  textLen++;
}

/** Appends a code point as UTF-8. */
export function textChar(c: u32): void {
  if (c < 0x80) textByte(c);
  else if (c < 0x800) { textByte(0xC0 | (c >> 6)); textByte(0x80 | (c & 0x3F)); }
  else if (c < 0x10000) { textByte(0xE0 | (c >> 12)); textByte(0x80 | ((c >> 6) & 0x3F)); textByte(0x80 | (c & 0x3F)); }
  else { textByte(0xF0 | (c >> 18)); textByte(0x80 | ((c >> 12) & 0x3F)); textByte(0x80 | ((c >> 6) & 0x3F)); textByte(0x80 | (c & 0x3F)); }
}

export function textInt(v: i64, base: u32): void {
  if (v < 0) {
    textByte(45);
    if (v == i64.MIN_VALUE) {
      // |MIN| does not fit: print digits of the unsigned value.
      textUnsigned(<u64>v, base);
      return;
    }
    v = -v;
  }
  textUnsigned(<u64>v, base);
}

function textUnsigned(u: u64, base: u32): void {
  let start = textLen;
  do {
    let d = <u32>(u % <u64>base);
    textByte(d < 10 ? 48 + d : 87 + d);
    u /= <u64>base;
  } while (u != 0);
  // reverse the digits just written
  let i = start, j = textLen - 1;
  while (i < j) {
    let a = load<u8>(buf + i);
    store<u8>(buf + i, load<u8>(buf + j));
    store<u8>(buf + j, a);
    i++;
    j--;
  }
}

export function textFloat(v: f64): void {
  reserve(40);
  let n = hostFormatFloat(v, buf + textLen, 40);
  textLen += <usize>n;
}


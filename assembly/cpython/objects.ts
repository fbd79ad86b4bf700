/**
 * tp_dealloc dispatch: what happens when a reference count reaches zero.
 */
import { Err, raise } from "../config";
import { T, typeOf, setDeallocHook, objFree, gcUntrack, gcFree, DECREF } from "./runtime";
import { ld64 } from "../kernel/memory";
import { intDealloc, floatDealloc } from "./numbers";
import { strDealloc } from "./str";
import { tupleDealloc, listDealloc } from "./sequence";
import { dictDealloc } from "./dict";
import { rangeDealloc, seqIterDealloc, dictIterDealloc, enumDealloc, zipDealloc } from "./iter";
import { setDealloc, setIterDealloc } from "./set";
import { byteArrayDealloc, arrayDealloc, ctypesArrayDealloc, arrayIterDealloc } from "./array";
import { boundMethodDealloc, functionDealloc } from "./funcs";
import { genDealloc } from "./gen";

export function dealloc(o: u64): void {
  switch (typeOf(o)) {
    case T.INT: case T.LONG2: intDealloc(o); break;
    case T.FLOAT: floatDealloc(o); break;
    case T.STR: case T.BYTES: strDealloc(o); break;
    case T.TUPLE: case T.SLICE: tupleDealloc(o); break;
    case T.LIST: listDealloc(o); break;
    case T.DICT: dictDealloc(o); break;
    case T.RANGE: rangeDealloc(o); break;
    case T.RANGEITER: objFree(o); break;
    case T.LISTITER: case T.TUPLEITER: case T.STRITER: case T.BYTESITER: seqIterDealloc(o); break;
    case T.DICTKEYITER: case T.DICTVALUEITER: case T.DICTITEMITER: dictIterDealloc(o); break;
    case T.DICTKEYS: case T.DICTVALUES: case T.DICTITEMS: gcUntrack(o); DECREF(ld64(o + 16)); gcFree(o); break;
    case T.SET: case T.FROZENSET: setDealloc(o); break;
    case T.SETITER: setIterDealloc(o); break;
    case T.ENUMERATE: enumDealloc(o); break;
    case T.ZIP: zipDealloc(o); break;
    case T.REVERSED: seqIterDealloc(o); break;
    case T.BYTEARRAY: byteArrayDealloc(o); break;
    case T.ARRAY: arrayDealloc(o); break;
    case T.CTYPES_ARRAY: ctypesArrayDealloc(o); break;
    case T.ARRAYITER: arrayIterDealloc(o); break;
    case T.METHOD: boundMethodDealloc(o); break;
    case T.FUNCTION: functionDealloc(o); break;
    case T.GENERATOR: genDealloc(o); break;
    // Static objects (None, bools, modules, builtins) never reach zero.
    default: raise(Err.INVALID, o);
  }
}

export function installDealloc(): void {
  setDeallocHook(dealloc);
}

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
import { rangeDealloc, seqIterDealloc, dictIterDealloc } from "./iter";

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
    case T.LISTITER: case T.TUPLEITER: seqIterDealloc(o); break;
    case T.DICTKEYITER: case T.DICTVALUEITER: case T.DICTITEMITER: dictIterDealloc(o); break;
    case T.DICTKEYS: case T.DICTVALUES: case T.DICTITEMS: gcUntrack(o); DECREF(ld64(o + 16)); gcFree(o); break;
    // Static objects (None, bools, modules, builtins) never reach zero.
    default: raise(Err.INVALID, o);
  }
}

export function installDealloc(): void {
  setDeallocHook(dealloc);
}

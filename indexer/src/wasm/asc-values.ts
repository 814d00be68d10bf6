// graph-ts store values, entities and BigDecimals in mapping memory, converted to and from the
// indexer's entity model (schema/value.ts). Layouts: graph-node runtime/wasm/src/asc_abi/class.rs.
import type { Entity, Value } from '../schema/value.js';
import { type AscMemory, bigIntToBytes, bytesToBigInt, MappingAbort, objectSize, TypeIndex } from './asc-memory.js';
import {
  checkExponent,
  type Decimal,
  fromString as decimalFromString,
  format as decimalToString,
  normalize,
} from './big-decimal.js';

const STORE_KIND = [
  'String',
  'Int',
  'BigDecimal',
  'Bool',
  'List',
  'Null',
  'Bytes',
  'BigInt',
  'Int8',
  'Timestamp',
] as const;

/**
 * What the host keeps on a store value it converted: its memory encoding (BigInt bytes, BigDecimal
 * digits and exponent bytes, string UTF-16), under a symbol. Values are immutable, and the same
 * objects are written again on every load of an entity, so each conversion is done once; a
 * property beats a WeakMap, whose entries weigh on every garbage collection.
 */
const ENCODING = Symbol('memory encoding');

type Encoding = Uint8Array | readonly [Uint8Array, Uint8Array];
type EncodedValue = Value & { [ENCODING]?: Encoding };

function encodingOf(value: Value): Encoding | undefined {
  return (value as EncodedValue)[ENCODING];
}

function remember<T extends Encoding>(value: Value, encoding: T): T {
  (value as EncodedValue)[ENCODING] = encoding;
  return encoding;
}

export function readDecimal(memory: AscMemory, ptr: number): Decimal {
  const digits = memory.readBigInt(memory.u32(ptr));
  const exp = memory.readBigInt(memory.u32(ptr + 4));
  return checkExponent({ digits, exp: Number(exp) });
}

/**
 * A normalized BigDecimal's digits and exponent as graph-ts BigInt bytes, as graph-node writes it
 * (big-decimal.ts's operations and parsing all return normalized values).
 */
function decimalBytes(value: Decimal): readonly [Uint8Array, Uint8Array] {
  return [bigIntToBytes(value.digits), bigIntToBytes(BigInt(value.exp))];
}

export function writeDecimal(memory: AscMemory, value: Decimal): number {
  return writeDecimalBytes(memory, decimalBytes(value));
}

function writeDecimalBytes(memory: AscMemory, [digits, exp]: readonly [Uint8Array, Uint8Array]): number {
  return memory.writeStruct(TypeIndex.BigDecimal, [memory.writeBytes(digits), memory.writeBytes(exp)]);
}

function bigIntEncoding(value: Extract<Value, { kind: 'BigInt' }>): Uint8Array {
  return (encodingOf(value) as Uint8Array | undefined) ?? remember(value, bigIntToBytes(value.value));
}

function decimalEncoding(value: Extract<Value, { kind: 'BigDecimal' }>): readonly [Uint8Array, Uint8Array] {
  return (
    (encodingOf(value) as readonly [Uint8Array, Uint8Array] | undefined) ??
    remember(value, decimalBytes(decimalFromString(value.value)))
  );
}

function stringEncoding(value: Extract<Value, { kind: 'String' }>): Uint8Array {
  return (encodingOf(value) as Uint8Array | undefined) ?? remember(value, Buffer.from(value.value, 'utf16le'));
}

function readDecimalValue(memory: AscMemory, ptr: number, previous: Value | undefined): Value {
  const digitsPtr = memory.u32(ptr);
  const expPtr = memory.u32(ptr + 4);
  if (previous?.kind === 'BigDecimal') {
    const [digits, exp] = decimalEncoding(previous);
    if (memory.holdsBytes(digitsPtr, digits) && memory.holdsBytes(expPtr, exp)) return previous;
  }
  const digitsBytes = memory.readBytes(digitsPtr);
  const expBytes = memory.readBytes(expPtr);
  const read = checkExponent({ digits: bytesToBigInt(digitsBytes), exp: Number(bytesToBigInt(expBytes)) });
  const normalized = normalize(read);
  const text = decimalToString(normalized);
  // The same value in another form (a mapping building x * 10^-d from its digits) is unchanged.
  if (previous?.kind === 'BigDecimal' && previous.value === text) return previous;
  const value: Value = { kind: 'BigDecimal', value: text };
  const unchanged = normalized.digits === read.digits && normalized.exp === read.exp;
  remember(value, unchanged ? [digitsBytes, expBytes] : decimalBytes(normalized));
  return value;
}

/**
 * Reads a store Value. `previous` is the value the entity held before: when the memory holds the
 * same value (mappings set most fields of an entity again on every save), that object is returned,
 * which spares decoding and keeps its encoding for the next write.
 */
export function readStoreValue(memory: AscMemory, ptr: number, depth = 0, previous?: Value): Value {
  memory.checkNesting(depth);
  const kindIndex = memory.i32(ptr);
  const kind = STORE_KIND[kindIndex];
  const payload = memory.u32(ptr + 8);
  const same = previous?.kind === kind ? previous : undefined;
  switch (kind) {
    case 'String':
      if (same?.kind === kind && memory.holdsString(payload, stringEncoding(same))) return same;
      return { kind, value: memory.readString(payload) };
    case 'Int': {
      const value = memory.i32(ptr + 8);
      return same?.kind === kind && same.value === value ? same : { kind, value };
    }
    case 'BigDecimal':
      return readDecimalValue(memory, payload, same);
    case 'Bool': {
      const value = memory.i32(ptr + 8) !== 0;
      return same?.kind === kind && same.value === value ? same : { kind, value };
    }
    case 'List':
      return { kind, value: memory.readArrayWords(payload).map((item) => readStoreValue(memory, item, depth + 1)) };
    case 'Null':
      return { kind };
    case 'Bytes':
      if (same?.kind === kind && memory.holdsBytes(payload, same.value)) return same;
      return { kind, value: memory.readBytes(payload) };
    case 'BigInt': {
      if (same?.kind === kind && memory.holdsBytes(payload, bigIntEncoding(same))) return same;
      const bytes = memory.readBytes(payload);
      const value: Value = { kind, value: bytesToBigInt(bytes) };
      remember(value, bytes);
      return value;
    }
    case 'Int8':
    case 'Timestamp': {
      const value = memory.i64(ptr + 8);
      return same?.kind === kind && same.value === value ? same : { kind, value };
    }
    default:
      throw new MappingAbort(`unknown store value kind ${kindIndex}`);
  }
}

export function writeStoreValue(memory: AscMemory, value: Value): number {
  const kind = STORE_KIND.indexOf(value.kind);
  const T = TypeIndex.StoreValue;
  switch (value.kind) {
    case 'String':
      return memory.writeWordEnum(T, kind, memory.writeObject(TypeIndex.String, stringEncoding(value)));
    case 'Int':
      return memory.writeWordEnum(T, kind, value.value);
    case 'BigDecimal':
      return memory.writeWordEnum(T, kind, writeDecimalBytes(memory, decimalEncoding(value)));
    case 'Bool':
      return memory.writeWordEnum(T, kind, value.value ? 1 : 0);
    case 'List': {
      const items: number[] = [];
      for (const item of value.value) items.push(writeStoreValue(memory, item));
      return memory.writeWordEnum(T, kind, memory.writeArray(TypeIndex.ArrayStoreValue, items));
    }
    case 'Null':
      return memory.writeWordEnum(T, kind, 0);
    case 'Bytes':
      return memory.writeWordEnum(T, kind, memory.writeBytes(value.value));
    case 'BigInt':
      return memory.writeWordEnum(T, kind, memory.writeBytes(bigIntEncoding(value)));
    case 'Int8':
    case 'Timestamp':
      return memory.writeEnum(T, kind, value.value);
  }
}

/**
 * A TypedMap<string, Value> (an Entity or DataSourceContext). `previous`: the entity's values
 * before, taken over where the memory holds the same (see readStoreValue).
 */
export function readEntity(memory: AscMemory, ptr: number, previous: Entity | null = null): Entity {
  const entity: Entity = new Map();
  const entries = memory.u32(ptr);
  const dataStart = memory.u32(entries + 4);
  const length = memory.i32(entries + 12);
  for (let i = 0; i < length; i += 1) {
    const entry = memory.u32(dataStart + i * 4);
    const key = memory.readKey(memory.u32(entry));
    entity.set(key, readStoreValue(memory, memory.u32(entry + 4), 0, previous?.get(key)));
  }
  return entity;
}

const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * An entity's field names in UTF-16 code unit order, the order graph-node writes them in. Kept on
 * the entity and handed on to its next version when that has the same fields (keepFieldOrder):
 * most saves change values, not fields, so an entity type is sorted about once.
 */
const FIELD_ORDER = Symbol('field order');
type OrderedEntity = Entity & { [FIELD_ORDER]?: readonly string[] };

function fieldOrder(entity: Entity): readonly string[] {
  const ordered = entity as OrderedEntity;
  let keys = ordered[FIELD_ORDER];
  if (!keys) {
    keys = Array.from(entity.keys()).sort(byCodeUnits);
    ordered[FIELD_ORDER] = keys;
  }
  return keys;
}

/** `next` has exactly the fields of `previous` (other values): it is written in the same order. */
export function keepFieldOrder(previous: Entity, next: Entity): void {
  const order = (previous as OrderedEntity)[FIELD_ORDER];
  if (order) (next as OrderedEntity)[FIELD_ORDER] = order;
}

/** Run-time type ids of what an entity is made of, for one module. */
interface EntityTypeIds {
  entry: number;
  value: number;
  arrayBuffer: number;
  uint8Array: number;
  string: number;
  decimal: number;
}

function entityTypeIds(memory: AscMemory): EntityTypeIds {
  return {
    entry: memory.typeId(TypeIndex.TypedMapEntryStringStoreValue),
    value: memory.typeId(TypeIndex.StoreValue),
    arrayBuffer: memory.typeId(TypeIndex.ArrayBuffer),
    uint8Array: memory.typeId(TypeIndex.Uint8Array),
    string: memory.typeId(TypeIndex.String),
    decimal: memory.typeId(TypeIndex.BigDecimal),
  };
}

const ENTRY_SIZE = objectSize(8);
const VALUE_SIZE = objectSize(16);
const VIEW_SIZE = objectSize(12);
const DECIMAL_SIZE = objectSize(8);

/** Writes `data` as an ArrayBuffer and a Uint8Array over it at `start`; returns the Uint8Array. */
function placeBytes(memory: AscMemory, ids: EntityTypeIds, start: number, data: Uint8Array): number {
  const buffer = memory.place(start, ids.arrayBuffer, data.length);
  const bytes = memory.byteView;
  const length = data.length;
  // A loop beats the builtin copy for the few bytes of most values.
  if (length > 32) bytes.set(data, buffer);
  else for (let i = 0; i < length; i += 1) bytes[buffer + i] = data[i] as number;
  const end = start + objectSize(length);
  for (let i = buffer + length; i < end; i += 1) bytes[i] = 0;
  const view = memory.place(end, ids.uint8Array, 12);
  const words = memory.wordView;
  const at = view >>> 2;
  words[at] = buffer;
  words[at + 1] = buffer;
  words[at + 2] = length;
  return view;
}

/**
 * One field: its TypedMapEntry, its Value and the value's payload objects, in one allocation.
 * Bytes, BigInt, BigDecimal, String, Int and Bool (what entities hold) go this way; the others
 * through writeStoreValue.
 */
function writeField(memory: AscMemory, ids: EntityTypeIds, keyPtr: number, value: Value): number {
  let kind: number;
  let payload: number;
  let start: number;
  switch (value.kind) {
    case 'BigInt':
    case 'Bytes': {
      const data = value.kind === 'BigInt' ? bigIntEncoding(value) : value.value;
      start = memory.reserve(objectSize(data.length) + VIEW_SIZE + VALUE_SIZE + ENTRY_SIZE);
      payload = placeBytes(memory, ids, start, data);
      start += objectSize(data.length) + VIEW_SIZE;
      kind = value.kind === 'BigInt' ? 7 : 6;
      break;
    }
    case 'BigDecimal': {
      const [digits, exp] = decimalEncoding(value);
      const digitsSize = objectSize(digits.length) + VIEW_SIZE;
      const expSize = objectSize(exp.length) + VIEW_SIZE;
      start = memory.reserve(digitsSize + expSize + DECIMAL_SIZE + VALUE_SIZE + ENTRY_SIZE);
      const digitsPtr = placeBytes(memory, ids, start, digits);
      const expPtr = placeBytes(memory, ids, start + digitsSize, exp);
      start += digitsSize + expSize;
      payload = memory.place(start, ids.decimal, 8);
      const words = memory.wordView;
      words[payload >>> 2] = digitsPtr;
      words[(payload >>> 2) + 1] = expPtr;
      words[(payload >>> 2) + 2] = 0;
      start += DECIMAL_SIZE;
      kind = 2;
      break;
    }
    case 'String': {
      const utf16 = stringEncoding(value);
      const size = objectSize(utf16.length);
      start = memory.reserve(size + VALUE_SIZE + ENTRY_SIZE);
      payload = memory.place(start, ids.string, utf16.length);
      const bytes = memory.byteView;
      bytes.set(utf16, payload);
      bytes.fill(0, payload + utf16.length, start + size);
      start += size;
      kind = 0;
      break;
    }
    case 'Int':
    case 'Bool':
      start = memory.reserve(VALUE_SIZE + ENTRY_SIZE);
      payload = value.kind === 'Int' ? value.value : value.value ? 1 : 0;
      kind = value.kind === 'Int' ? 1 : 3;
      break;
    default:
      return memory.writePair(TypeIndex.TypedMapEntryStringStoreValue, keyPtr, writeStoreValue(memory, value));
  }
  const words = memory.wordView;
  const storeValue = memory.place(start, ids.value, 16);
  let at = storeValue >>> 2;
  words[at] = kind;
  words[at + 1] = 0;
  words[at + 2] = payload;
  words[at + 3] = payload < 0 ? -1 : 0;
  words[at + 4] = 0;
  words[at + 5] = 0;
  words[at + 6] = 0;
  const entry = memory.place(start + VALUE_SIZE, ids.entry, 8);
  at = entry >>> 2;
  words[at] = keyPtr;
  words[at + 1] = storeValue;
  words[at + 2] = 0;
  return entry;
}

const ENTRIES: number[] = [];

/** Writes an entity with its fields sorted by name, as graph-node does. */
export function writeEntity(memory: AscMemory, entity: Entity): number {
  const ids = entityTypeIds(memory);
  ENTRIES.length = 0;
  for (const key of fieldOrder(entity)) {
    const value = entity.get(key) as Value;
    if (value.kind !== 'Null') ENTRIES.push(writeField(memory, ids, memory.writeKey(key), value));
  }
  const array = memory.writeArray(TypeIndex.ArrayTypedMapEntryStringStoreValue, ENTRIES);
  return memory.writeStruct(TypeIndex.TypedMapStringStoreValue, [array]);
}

// graph-ts store values, entities and BigDecimals in mapping memory, converted to and from the
// indexer's entity model (schema/value.ts). Layouts: graph-node runtime/wasm/src/asc_abi/class.rs.
import type { Entity, Value } from '../schema/value.js';
import { type AscMemory, MappingAbort, TypeIndex } from './asc-memory.js';
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

export function readDecimal(memory: AscMemory, ptr: number): Decimal {
  const digits = memory.readBigInt(memory.u32(ptr));
  const exp = memory.readBigInt(memory.u32(ptr + 4));
  return checkExponent({ digits, exp: Number(exp) });
}

export function writeDecimal(memory: AscMemory, value: Decimal): number {
  const normalized = normalize(value);
  const digits = memory.writeBigInt(normalized.digits);
  const exp = memory.writeBigInt(BigInt(normalized.exp));
  return memory.writeStruct(TypeIndex.BigDecimal, [digits, exp]);
}

export function readStoreValue(memory: AscMemory, ptr: number, depth = 0): Value {
  memory.checkNesting(depth);
  const kindIndex = memory.i32(ptr);
  const kind = STORE_KIND[kindIndex];
  const payload = memory.u32(ptr + 8);
  switch (kind) {
    case 'String':
      return { kind, value: memory.readString(payload) };
    case 'Int':
      return { kind, value: memory.i32(ptr + 8) };
    case 'BigDecimal':
      return { kind, value: decimalToString(normalize(readDecimal(memory, payload))) };
    case 'Bool':
      return { kind, value: memory.i32(ptr + 8) !== 0 };
    case 'List':
      return { kind, value: memory.readArrayWords(payload).map((item) => readStoreValue(memory, item, depth + 1)) };
    case 'Null':
      return { kind };
    case 'Bytes':
      return { kind, value: memory.readBytes(payload) };
    case 'BigInt':
      return { kind, value: memory.readBigInt(payload) };
    case 'Int8':
    case 'Timestamp':
      return { kind, value: memory.i64(ptr + 8) };
    default:
      throw new MappingAbort(`unknown store value kind ${kindIndex}`);
  }
}

export function writeStoreValue(memory: AscMemory, value: Value): number {
  const kind = STORE_KIND.indexOf(value.kind);
  const write = (payload: bigint) => memory.writeEnum(TypeIndex.StoreValue, kind, payload);
  switch (value.kind) {
    case 'String':
      return write(BigInt(memory.writeString(value.value)));
    case 'Int':
      return write(BigInt(value.value));
    case 'BigDecimal':
      return write(BigInt(writeDecimal(memory, decimalFromString(value.value))));
    case 'Bool':
      return write(value.value ? 1n : 0n);
    case 'List':
      return write(
        BigInt(
          memory.writeArray(
            TypeIndex.ArrayStoreValue,
            value.value.map((item) => writeStoreValue(memory, item)),
          ),
        ),
      );
    case 'Null':
      return write(0n);
    case 'Bytes':
      return write(BigInt(memory.writeBytes(value.value)));
    case 'BigInt':
      return write(BigInt(memory.writeBigInt(value.value)));
    case 'Int8':
    case 'Timestamp':
      return write(value.value);
  }
}

/** A TypedMap<string, Value> (an Entity or DataSourceContext). */
export function readEntity(memory: AscMemory, ptr: number): Entity {
  const entity: Entity = new Map();
  for (const entry of memory.readArrayWords(memory.u32(ptr))) {
    entity.set(memory.readString(memory.u32(entry)), readStoreValue(memory, memory.u32(entry + 4)));
  }
  return entity;
}

/** Writes an entity with its fields sorted by name, as graph-node does. */
export function writeEntity(memory: AscMemory, entity: Entity): number {
  const entries = [...entity.entries()]
    .filter(([, value]) => value.kind !== 'Null')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) =>
      memory.writeStruct(TypeIndex.TypedMapEntryStringStoreValue, [
        memory.writeString(key),
        writeStoreValue(memory, value),
      ]),
    );
  const array = memory.writeArray(TypeIndex.ArrayTypedMapEntryStringStoreValue, entries);
  return memory.writeStruct(TypeIndex.TypedMapStringStoreValue, [array]);
}

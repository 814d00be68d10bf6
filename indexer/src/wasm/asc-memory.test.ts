// graph-ts BigInt bytes (signed little-endian two's complement, minimal length as num-bigint's
// to_signed_bytes_le: graph-node runtime/wasm/src/asc_abi/class.rs) against the plain definition.
import { describe, expect, it } from 'vitest';
import type { Entity, Value } from '../schema/value.js';
import { type AscMemory, bigIntToBytes, bytesToBigInt } from './asc-memory.js';
import { readEntity, writeEntity } from './asc-values.js';
import { moduleMemory } from './module-memory.testing.js';

function definition(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i -= 1) value = (value << 8n) | BigInt(bytes[i] as number);
  const top = bytes.length > 0 && ((bytes[bytes.length - 1] as number) & 0x80) !== 0;
  return top ? value - (1n << BigInt(bytes.length * 8)) : value;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('BigInt bytes', () => {
  it.each([
    [0n, '00'],
    [1n, '01'],
    [-1n, 'ff'],
    [127n, '7f'],
    [128n, '8000'],
    [-128n, '80'],
    [-129n, '7fff'],
    [255n, 'ff00'],
    [256n, '0001'],
    [2n ** 63n, '000000000000008000'],
    [-(2n ** 63n), '0000000000000080'],
    [2n ** 63n - 1n, 'ffffffffffffff7f'],
    [-(2n ** 63n) - 1n, 'ffffffffffffff7fff'],
    [2n ** 127n - 1n, 'ffffffffffffffffffffffffffffff7f'],
    [2n ** 127n, '0000000000000000000000000000008000'],
    [-(2n ** 127n), '00000000000000000000000000000080'],
    [-(2n ** 127n) - 1n, 'ffffffffffffffffffffffffffffff7fff'],
  ])('%s is %s', (value, bytes) => {
    expect(hex(bigIntToBytes(value))).toBe(bytes);
    expect(bytesToBigInt(Buffer.from(bytes, 'hex'))).toBe(value);
  });

  it('round-trips values of every width and reads any byte string as its definition says', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let length = 0; length <= 40; length += 1) {
      for (let n = 0; n < 50; n += 1) {
        const bytes = Uint8Array.from({ length }, () =>
          random() < 0.2 ? (random() < 0.5 ? 0 : 255) : Math.floor(random() * 256),
        );
        const value = definition(bytes);
        expect(bytesToBigInt(bytes)).toBe(value);
        expect(bytesToBigInt(bigIntToBytes(value))).toBe(value);
        // Minimal: one byte less would change the value.
        const encoded = bigIntToBytes(value);
        if (encoded.length > 1) expect(definition(encoded.subarray(0, encoded.length - 1))).not.toBe(value);
      }
    }
  });

  it('reads a BigInt in mapping memory as its bytes say, whatever follows them there', () => {
    const { memory, raw } = moduleMemory();
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return Math.floor((seed / 2 ** 31) * 256);
    };
    for (let length = 0; length <= 24; length += 1) {
      for (let n = 0; n < 20; n += 1) {
        const bytes = Uint8Array.from({ length }, random);
        const ptr = memory.writeBytes(bytes);
        // Garbage after the bytes, where an in-place read of whole words looks.
        const dataStart = new DataView(raw.buffer).getUint32(ptr + 4, true);
        for (let i = length; i < length + 16; i += 1) raw[dataStart + i] = random() | 0x80;
        expect(memory.readBigInt(ptr)).toBe(definition(bytes));
        expect(definition(raw.subarray(dataStart, dataStart + length))).toBe(definition(bytes));
        const written = memory.writeBigInt(definition(bytes));
        expect(memory.readBigInt(written)).toBe(definition(bytes));
      }
    }
  });
});

describe('static field names', () => {
  const entity = (): Entity =>
    new Map<string, Value>([
      ['id', { kind: 'String', value: 'loan-1' }],
      ['amount', { kind: 'BigInt', value: 12_345_678_901_234_567_890n }],
      ['status', { kind: 'String', value: 'OPEN' }],
    ]);

  /** Field, kind and value of each field, by name (the host keeps encodings on the values it reads). */
  const fields = (value: Entity) =>
    [...value].map(([name, field]) => [name, field.kind, 'value' in field ? field.value : null]).sort();

  /** The key pointer of each entry of the TypedMap at `map`. */
  function keyPointers(memory: AscMemory, map: number): number[] {
    return memory.readArrayWords(memory.u32(map)).map((entry) => memory.u32(entry));
  }

  it('entities written after writeStaticStrings point at the names below the heap, and read back the same', () => {
    const { memory, heapTop } = moduleMemory();
    memory.writeStaticStrings(['amount', 'id', 'status', 'amount']);
    memory.cache.heapStart = heapTop();
    const statics = ['amount', 'id', 'status'].map((name) => memory.cache.staticKeys.get(name));
    expect(statics.every((ptr) => ptr !== undefined && ptr < memory.cache.heapStart)).toBe(true);
    expect(statics.map((ptr) => memory.readString(ptr as number))).toEqual(['amount', 'id', 'status']);

    const ptr = writeEntity(memory, entity());
    expect(keyPointers(memory, ptr)).toEqual(statics);
    expect(fields(readEntity(memory, ptr))).toEqual(fields(entity()));
  });

  it('without them, each write of an entity writes its names again', () => {
    const { memory, heapTop } = moduleMemory();
    memory.cache.heapStart = heapTop();
    const first = keyPointers(memory, writeEntity(memory, entity()));
    const second = keyPointers(memory, writeEntity(memory, entity()));
    expect(first.every((ptr) => ptr >= memory.cache.heapStart)).toBe(true);
    expect(second.some((ptr, i) => ptr !== first[i])).toBe(true);
  });
});

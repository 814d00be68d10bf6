// The BigInt host functions against plain BigInt arithmetic (graph-node runtime/wasm/src/
// host_exports.rs: big_int_plus … big_int_mod over num-bigint, truncating division and remainder),
// across the operand widths where the host's reading and writing of BigInt bytes change method
// (asc-memory.ts: doubles up to 6 bytes, 64-bit words up to 16, hex beyond).
import { describe, expect, it } from 'vitest';
import { bigIntToBytes } from './asc-memory.js';
import { DeterministicError } from './entity-cache.js';
import { type HostFunction, hostFunctions, type TriggerEnv } from './host-functions.js';
import { moduleMemory } from './module-memory.testing.js';

const { memory } = moduleMemory(1024);
const host = hostFunctions(() => ({ memory }) as TriggerEnv);
const call = (name: string, a: number, b: number) => (host.get(name) as HostFunction)(a, b) as number;

const operations: [string, (x: bigint, y: bigint) => bigint][] = [
  ['bigInt.plus', (x, y) => x + y],
  ['bigInt.minus', (x, y) => x - y],
  ['bigInt.times', (x, y) => x * y],
  ['bigInt.dividedBy', (x, y) => x / y],
  ['bigInt.mod', (x, y) => x % y],
];

// Values around each byte width's signed bounds, up to 10 bytes, and around 2^53.
const edges = [0n, 1n, -1n, 2n, -3n, 7n, 1000n];
for (let bits = 7n; bits <= 72n; bits += 8n) {
  for (const offset of [-1n, 0n, 1n]) edges.push((1n << bits) + offset, -(1n << bits) + offset);
}
for (const bits of [52n, 53n, 54n]) edges.push(1n << bits, -(1n << bits), (1n << bits) - 1n);

describe('BigInt host arithmetic', () => {
  it.each(operations)('%s is exact and minimally encoded for every pair of edge values', (name, expected) => {
    for (const x of edges) {
      for (const y of edges) {
        if (y === 0n && (name === 'bigInt.dividedBy' || name === 'bigInt.mod')) continue;
        const result = call(name, memory.writeBigInt(x), memory.writeBigInt(y));
        const want = expected(x, y);
        expect(memory.readBigInt(result), `${x} ${name} ${y}`).toBe(want);
        expect(memory.readBytes(result)).toEqual(bigIntToBytes(want));
      }
    }
  });

  it('reads operands whose bytes are longer than they need be', () => {
    // BigInt.fromUnsignedBytes or an event's raw bytes: 5 as eight bytes, 0 as six.
    const five = memory.writeBytes(Uint8Array.of(5, 0, 0, 0, 0, 0, 0, 0));
    const zero = memory.writeBytes(new Uint8Array(6));
    expect(memory.readBigInt(call('bigInt.times', five, memory.writeBigInt(-3n)))).toBe(-15n);
    expect(memory.readBigInt(call('bigInt.plus', zero, five))).toBe(5n);
  });

  it.each([
    ['bigInt.dividedBy', 'attempted to divide BigInt by zero'],
    ['bigInt.mod', 'attempted to calculate the remainder of a BigInt divided by zero'],
  ])('%s by zero, however it is encoded, is a deterministic error', (name, message) => {
    for (const zero of [new Uint8Array(0), new Uint8Array(1), new Uint8Array(8)]) {
      expect(() => call(name, memory.writeBigInt(5n), memory.writeBytes(zero))).toThrow(
        new DeterministicError(message),
      );
    }
  });
});

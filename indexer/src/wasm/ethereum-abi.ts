// ethereum.encode / ethereum.decode (graph-node runtime/wasm/src/host_exports.rs, ethabi): one
// token ABI-encoded, or one value decoded from a type string; null when it cannot be done.
import { type AbiParameter, decodeAbiParameters, encodeAbiParameters, type Hex, parseAbiParameters } from 'viem';
import type { AscMemory } from './asc-memory.js';
import { writeEthereumValue } from './ethereum-event.js';

type Token = { type: AbiParameter; value: unknown };

const hex = (bytes: Uint8Array): Hex => `0x${Buffer.from(bytes).toString('hex')}`;

/** Reads an ethereum.Value and infers its ABI type, as ethabi's Token does. */
export function readToken(memory: AscMemory, ptr: number, depth = 0): Token {
  memory.checkNesting(depth);
  const kind = memory.i32(ptr);
  const payload = memory.u32(ptr + 8);
  const list = () => memory.readArrayWords(payload).map((item) => readToken(memory, item, depth + 1));
  switch (kind) {
    case 0:
      return { type: { type: 'address' }, value: hex(memory.readBytes(payload)) };
    case 1: {
      const bytes = memory.readBytes(payload);
      return { type: { type: `bytes${bytes.length}` }, value: hex(bytes) };
    }
    case 2:
      return { type: { type: 'bytes' }, value: hex(memory.readBytes(payload)) };
    case 3:
      return { type: { type: 'int256' }, value: memory.readBigInt(payload) };
    case 4:
      return { type: { type: 'uint256' }, value: memory.readBigInt(payload) };
    case 5:
      return { type: { type: 'bool' }, value: memory.i32(ptr + 8) !== 0 };
    case 6:
      return { type: { type: 'string' }, value: memory.readString(payload) };
    case 7:
    case 8: {
      const items = list();
      const inner = items[0]?.type ?? { type: 'uint256' };
      const suffix = kind === 7 ? `[${items.length}]` : '[]';
      return { type: { ...inner, type: `${inner.type}${suffix}` } as AbiParameter, value: items.map((i) => i.value) };
    }
    case 9: {
      const items = list();
      return {
        type: { type: 'tuple', components: items.map((i) => i.type) } as AbiParameter,
        value: items.map((i) => i.value),
      };
    }
    default:
      throw new Error(`unknown ethereum value kind ${kind}`);
  }
}

export function encodeToken(token: Token): Uint8Array | null {
  try {
    return Buffer.from(encodeAbiParameters([token.type], [token.value]).slice(2), 'hex');
  } catch {
    return null;
  }
}

export function decodeToken(memory: AscMemory, types: string, data: Uint8Array): number {
  try {
    const params = parseAbiParameters(types.startsWith('(') ? `${types}` : types);
    const [param] = params;
    if (!param || params.length !== 1) return 0;
    const [value] = decodeAbiParameters([param], hex(data));
    return writeEthereumValue(memory, param, value);
  } catch {
    return 0;
  }
}

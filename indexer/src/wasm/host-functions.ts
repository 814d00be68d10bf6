// The host functions graph-ts imports, by name (graph-node links imports by name and ignores the
// module: runtime/wasm/src/module/instance.rs). Semantics follow runtime/wasm/src/host_exports.rs.
import { keccak256 } from 'viem';
import type { Entity } from '../schema/value.js';
import { type AscMemory, MappingAbort, TypeIndex } from './asc-memory.js';
import { readDecimal, readEntity, writeDecimal, writeEntity } from './asc-values.js';
import * as decimal from './big-decimal.js';
import { DeterministicError, type EntityCache } from './entity-cache.js';
import { decodeToken, encodeToken, readToken } from './ethereum-abi.js';
import { type EthereumCallEnv, ethereumCallFunctions } from './ethereum-calls.js';
import { decodeJsonBytes, JsonSyntaxError, writeJson, writeJsonResult } from './json-values.js';

function jsonInteger(text: string, min: bigint, max: bigint, type: string): bigint {
  if (!/^-?\d+$/.test(text)) throw new DeterministicError(`JSON value \`${text}\` is not an ${type}`);
  const value = BigInt(text);
  if (value < min || value > max) throw new DeterministicError(`JSON value \`${text}\` does not fit in an ${type}`);
  return value;
}

/** What the host functions of one trigger act on. */
export interface TriggerEnv {
  memory: AscMemory;
  cache: EntityCache;
  /** apiVersion >= 0.0.8: setting a field the schema lacks is an error. */
  strictFields: boolean;
  dataSource: { name: string; address: string; network: string; context: Entity | null };
  createDataSource(template: string, params: string[], context: Entity | null): void;
  log(level: number, message: string): void;
  /** ethereum.call / getBalance / hasCode (ethereum-calls.ts). */
  ethereum: EthereumCallEnv;
}

export class HostFunctionMissing extends Error {}

const MAX_BIGINT_BITS = 435_412;
// A magnitude needs more than MAX_BIGINT_BITS bits exactly when it reaches 2^MAX_BIGINT_BITS.
const BIGINT_LIMIT = 1n << BigInt(MAX_BIGINT_BITS);
// biome-ignore lint/suspicious/noControlCharactersInRegex: graph-node trims trailing NUL bytes
const TRAILING_NULS = /\u0000+$/;
export const LOG_LEVELS = ['critical', 'error', 'warning', 'info', 'debug'];

function checkBigInt(value: bigint): bigint {
  const magnitude = value < 0n ? -value : value;
  if (magnitude >= BIGINT_LIMIT) throw new DeterministicError('BigInt is too big');
  return value;
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
function toBase58(bytes: Uint8Array): string {
  let value = 0n;
  for (const byte of bytes) value = value * 256n + BigInt(byte);
  let text = '';
  while (value > 0n) {
    text = BASE58[Number(value % 58n)] + text;
    value /= 58n;
  }
  for (const byte of bytes) {
    if (byte !== 0) break;
    text = `1${text}`;
  }
  return text;
}

export type HostFunction = (...args: number[]) => number | bigint | undefined;

/** Builds the import functions; `env()` returns the trigger being run. */
export function hostFunctions(env: () => TriggerEnv): Map<string, HostFunction> {
  const m = () => env().memory;
  const str = (ptr: number) => m().readString(ptr);
  const bigInt = (ptr: number) => m().readBigInt(ptr);
  const writeBig = (value: bigint) => m().writeBigInt(checkBigInt(value));
  const dec = (ptr: number) => readDecimal(m(), ptr);
  const writeDec = (value: decimal.Decimal) => writeDecimal(m(), value);
  const guardDecimal = <T>(body: () => T): T => {
    try {
      return body();
    } catch (error) {
      if (error instanceof decimal.BigDecimalError) throw new DeterministicError(error.message);
      throw error;
    }
  };
  const entityId = (ptr: number) => str(ptr);

  const functions: Record<string, HostFunction> = {
    abort: (message, file, line, column) => {
      const text = message ? str(message) : 'unknown';
      const where = file ? str(file) : 'unknown';
      throw new MappingAbort(`Mapping aborted at ${where}, line ${line}, column ${column}, with message: ${text}`);
    },

    // ---- store ----
    'store.get': (type, id) => {
      const entity = env().cache.get(str(type), entityId(id));
      return entity ? writeEntity(m(), entity) : 0;
    },
    'store.get_in_block': (type, id) => {
      const entity = env().cache.getInBlock(str(type), entityId(id));
      return entity ? writeEntity(m(), entity) : 0;
    },
    'store.set': (type, id, data) => {
      const e = env();
      const typeName = str(type);
      const key = entityId(id);
      // The current version's values are reused where the mapping set the same again.
      const previous = e.cache.get(typeName, key);
      e.cache.set(typeName, key, readEntity(e.memory, data, previous), e.strictFields, previous);
      return undefined;
    },
    'store.remove': (type, id) => {
      env().cache.remove(str(type), entityId(id));
      return undefined;
    },
    'store.loadRelated': (type, id, field) => {
      const related = env().cache.related(str(type), entityId(id), str(field));
      return m().writeArray(
        TypeIndex.ArrayTypedMapStringStoreValue,
        related.map((entity) => writeEntity(m(), entity)),
      );
    },

    // ---- log ----
    'log.log': (level, message) => {
      const text = str(message);
      env().log(level, text);
      if (level === 0) throw new DeterministicError(`Critical error logged in mapping with message: ${text}`);
      return undefined;
    },

    // ---- conversions ----
    'typeConversion.bytesToString': (ptr) =>
      m().writeString(new TextDecoder('utf-8', { fatal: false }).decode(m().readBytes(ptr)).replace(TRAILING_NULS, '')),
    'typeConversion.bytesToHex': (ptr) => m().writeHexOfBytes(ptr),
    'typeConversion.bigIntToString': (ptr) => m().writeString(bigInt(ptr).toString()),
    'typeConversion.bigIntToHex': (ptr) => {
      const value = bigInt(ptr);
      return m().writeString(`0x${(value < 0n ? -value : value).toString(16)}`);
    },
    'typeConversion.stringToH160': (ptr) => {
      const text = str(ptr);
      const hex = text.startsWith('0x') ? text : `0x${text}`;
      if (!/^0x[0-9a-fA-F]{40}$/.test(hex))
        throw new DeterministicError(`Failed to convert string to Address/H160: '${text}'`);
      return m().writeBytes(Uint8Array.from(Buffer.from(hex.slice(2), 'hex')));
    },
    'typeConversion.bytesToBase58': (ptr) => m().writeString(toBase58(m().readBytes(ptr))),

    // ---- BigInt ----
    'bigInt.plus': (a, b) => writeBig(bigInt(a) + bigInt(b)),
    'bigInt.minus': (a, b) => writeBig(bigInt(a) - bigInt(b)),
    'bigInt.times': (a, b) => writeBig(bigInt(a) * bigInt(b)),
    'bigInt.dividedBy': (a, b) => {
      const divisor = bigInt(b);
      if (divisor === 0n) throw new DeterministicError('attempted to divide BigInt by zero');
      return writeBig(bigInt(a) / divisor);
    },
    'bigInt.dividedByDecimal': (a, b) =>
      guardDecimal(() => writeDec(decimal.dividedBy(decimal.fromBigInt(bigInt(a)), dec(b)))),
    'bigInt.mod': (a, b) => {
      const divisor = bigInt(b);
      if (divisor === 0n)
        throw new DeterministicError('attempted to calculate the remainder of a BigInt divided by zero');
      return writeBig(bigInt(a) % divisor);
    },
    'bigInt.pow': (a, exponent) => writeBig(bigInt(a) ** BigInt(exponent & 0xff)),
    'bigInt.fromString': (ptr) => {
      const text = str(ptr);
      if (!/^-?\d+$/.test(text)) throw new DeterministicError(`failed to parse BigInt from string: "${text}"`);
      return writeBig(BigInt(text));
    },
    'bigInt.bitOr': (a, b) => writeBig(bigInt(a) | bigInt(b)),
    'bigInt.bitAnd': (a, b) => writeBig(bigInt(a) & bigInt(b)),
    'bigInt.leftShift': (a, bits) => writeBig(bigInt(a) << BigInt(bits & 0xff)),
    'bigInt.rightShift': (a, bits) => writeBig(bigInt(a) >> BigInt(bits & 0xff)),

    // ---- BigDecimal ----
    'bigDecimal.plus': (a, b) => guardDecimal(() => writeDec(decimal.plus(dec(a), dec(b)))),
    'bigDecimal.minus': (a, b) => guardDecimal(() => writeDec(decimal.minus(dec(a), dec(b)))),
    'bigDecimal.times': (a, b) => guardDecimal(() => writeDec(decimal.times(dec(a), dec(b)))),
    'bigDecimal.dividedBy': (a, b) => guardDecimal(() => writeDec(decimal.dividedBy(dec(a), dec(b)))),
    'bigDecimal.equals': (a, b) => guardDecimal(() => (decimal.equals(dec(a), dec(b)) ? 1 : 0)),
    'bigDecimal.toString': (ptr) => guardDecimal(() => m().writeString(decimal.format(decimal.normalize(dec(ptr))))),
    'bigDecimal.fromString': (ptr) => guardDecimal(() => writeDec(decimal.fromString(str(ptr)))),

    // ---- data sources ----
    'dataSource.create': (name, params) => {
      const words = m().readArrayWords(params);
      env().createDataSource(
        str(name),
        words.map((ptr) => str(ptr)),
        null,
      );
      return undefined;
    },
    'dataSource.createWithContext': (name, params, context) => {
      const words = m().readArrayWords(params);
      env().createDataSource(
        str(name),
        words.map((ptr) => str(ptr)),
        readEntity(m(), context),
      );
      return undefined;
    },
    'dataSource.address': () => m().writeBytes(Uint8Array.from(Buffer.from(env().dataSource.address.slice(2), 'hex'))),
    'dataSource.network': () => m().writeString(env().dataSource.network),
    'dataSource.context': () => writeEntity(m(), env().dataSource.context ?? new Map()),

    // ---- json ----
    'json.fromBytes': (ptr) => {
      try {
        return writeJson(m(), decodeJsonBytes(m().readBytes(ptr)));
      } catch (error) {
        if (error instanceof JsonSyntaxError) throw new DeterministicError(`Failed to parse JSON: ${error.message}`);
        throw error;
      }
    },
    'json.try_fromBytes': (ptr) => {
      try {
        return writeJsonResult(m(), decodeJsonBytes(m().readBytes(ptr)));
      } catch (error) {
        if (error instanceof JsonSyntaxError) return writeJsonResult(m(), null);
        throw error;
      }
    },
    'json.toI64': (ptr) => jsonInteger(str(ptr), -(2n ** 63n), 2n ** 63n - 1n, 'i64'),
    'json.toU64': (ptr) => BigInt.asIntN(64, jsonInteger(str(ptr), 0n, 2n ** 64n - 1n, 'u64')),
    'json.toF64': (ptr) => {
      const text = str(ptr);
      const value = Number(text);
      if (text.trim() === '' || Number.isNaN(value))
        throw new DeterministicError(`JSON value \`${text}\` is not an f64`);
      return value as unknown as number;
    },
    'json.toBigInt': (ptr) => {
      const text = str(ptr);
      if (!/^-?\d+$/.test(text)) throw new DeterministicError(`JSON value \`${text}\` is not a BigInt`);
      return writeBig(BigInt(text));
    },

    // ---- ethereum ABI coding ----
    'ethereum.encode': (ptr) => {
      const encoded = encodeToken(readToken(m(), ptr));
      return encoded === null ? 0 : m().writeBytes(encoded);
    },
    'ethereum.decode': (types, data) => decodeToken(m(), str(types), m().readBytes(data)),
    ...ethereumCallFunctions(env),

    // ---- crypto ----
    'crypto.keccak256': (ptr) =>
      m().writeBytes(Uint8Array.from(Buffer.from(keccak256(m().readBytes(ptr)).slice(2), 'hex'))),
  };
  return new Map(Object.entries(functions));
}

/** An import the host does not provide: calling it fails the handler with the function's name. */
export function missingHostFunction(name: string): HostFunction {
  return () => {
    throw new HostFunctionMissing(
      `host function \`${name}\` is not implemented by this indexer (graph-node provides it); the mapping cannot run here`,
    );
  };
}

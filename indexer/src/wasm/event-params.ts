// A log's parameters decoded with its handler's ABI event, as viem's decodeEventLog (strict) does,
// with what depends only on the event worked out once: decodeEventLog hashes the event's signature
// on every call to find it in the ABI, while the handler has matched topic0 already. Events of
// static elementary types only (most events) are read word by word as viem reads them, without its
// per-address checksum (a keccak hash each): addresses come out in lower case.
import { type AbiEvent, type AbiParameter, decodeAbiParameters, type Hex, type RpcLog } from 'viem';
import type { EventData } from './ethereum-event.js';

interface DecodePlan {
  /** Every input a static elementary type: decoded word by word. */
  static: boolean;
  /** Positions of the indexed inputs, in topic order. */
  indexed: number[];
  /** The inputs ABI-encoded in the data, and their positions. */
  dataInputs: AbiParameter[];
  dataPositions: number[];
}

const PLANS = new WeakMap<AbiEvent, DecodePlan>();

function planFor(event: AbiEvent): DecodePlan {
  let plan = PLANS.get(event);
  if (!plan) {
    const indexed: number[] = [];
    const dataInputs: AbiParameter[] = [];
    const dataPositions: number[] = [];
    event.inputs.forEach((input, position) => {
      if (input.indexed) {
        indexed.push(position);
      } else {
        dataInputs.push(input);
        dataPositions.push(position);
      }
    });
    plan = { static: event.inputs.every((input) => STATIC_WORD.test(input.type)), indexed, dataInputs, dataPositions };
    PLANS.set(event, plan);
  }
  return plan;
}

/** An indexed string, bytes, tuple or array is stored as the keccak hash of its encoding: the topic. */
export function hashedInTopic(input: AbiParameter): boolean {
  return (
    input.type === 'string' || input.type === 'bytes' || input.type.startsWith('tuple') || input.type.endsWith(']')
  );
}

const STATIC_WORD = /^(u?int\d*|address|bool|bytes([1-9]|[12]\d|3[0-2]))$/;

/**
 * One 32-byte word (64 hex digits from `at` in `hex`) as viem's decodeAbiParameters reads it: whole
 * words for integers (a signed one as 256 bits), the last 20 bytes of an address, the first N bytes
 * of bytesN; undefined for a bool that is neither 0 nor 1 (viem refuses it).
 */
function decodeWord(type: string, hex: string, at: number): unknown {
  const word = hex.slice(at, at + 64);
  if (type === 'address') return `0x${word.slice(24)}`.toLowerCase();
  if (type === 'bool') {
    const value = BigInt(`0x${word}`);
    return value === 0n ? false : value === 1n ? true : undefined;
  }
  if (type.startsWith('bytes')) return `0x${word.slice(0, Number(type.slice(5)) * 2)}`.toLowerCase();
  const value = BigInt(`0x${word}`);
  return type.startsWith('int') ? BigInt.asIntN(256, value) : value;
}

function decodeStatic(event: AbiEvent, plan: DecodePlan, log: RpcLog, values: unknown[]): boolean {
  for (let i = 0; i < plan.indexed.length; i += 1) {
    const position = plan.indexed[i] as number;
    const topic = log.topics[i + 1];
    if (topic?.length !== 66) return false;
    values[position] = decodeWord((event.inputs[position] as AbiParameter).type, topic, 2);
    if (values[position] === undefined) return false;
  }
  const data = log.data;
  if (data.length < 2 + plan.dataInputs.length * 64 || !/^0x[0-9a-fA-F]*$/.test(data)) return false;
  for (let i = 0; i < plan.dataInputs.length; i += 1) {
    const value = decodeWord((plan.dataInputs[i] as AbiParameter).type, data, 2 + i * 64);
    if (value === undefined) return false;
    values[plan.dataPositions[i] as number] = value;
  }
  return true;
}

/** null: the log does not decode with this event (graph-node skips such a log). */
export function decodeEventParams(event: AbiEvent, log: RpcLog): EventData['params'] | null {
  const plan = planFor(event);
  const values: unknown[] = new Array(event.inputs.length);
  if (plan.static) return decodeStatic(event, plan, log, values) ? params(event, values) : null;
  try {
    for (let i = 0; i < plan.indexed.length; i += 1) {
      const position = plan.indexed[i] as number;
      const input = event.inputs[position] as AbiParameter;
      const topic = log.topics[i + 1] as Hex | undefined;
      if (!topic) return null;
      values[position] = hashedInTopic(input) ? topic : decodeAbiParameters([input], topic)[0];
    }
    if (plan.dataInputs.length > 0) {
      const decoded = decodeAbiParameters(plan.dataInputs, log.data);
      for (let i = 0; i < decoded.length; i += 1) values[plan.dataPositions[i] as number] = decoded[i];
    }
  } catch {
    return null;
  }
  return params(event, values);
}

function params(event: AbiEvent, values: unknown[]): EventData['params'] {
  return event.inputs.map((input, position) => ({
    name: input.name ?? '',
    type: input,
    indexed: input.indexed === true,
    value: values[position],
  }));
}

// ethereum.Event, Block, Transaction, Value and TransactionReceipt in mapping memory, field by
// field as graph-ts declares them (graph-node chain/ethereum/src/runtime/abi.rs, apiVersion 0.0.7+).
import type { AbiParameter } from 'viem';
import { hexToBytes } from 'viem';
import { type AscMemory, TypeIndex } from './asc-memory.js';
import { hashedInTopic } from './event-params.js';

export interface BlockData {
  hash: string;
  parentHash: string;
  unclesHash: string;
  author: string;
  stateRoot: string;
  transactionsRoot: string;
  receiptsRoot: string;
  number: bigint;
  gasUsed: bigint;
  gasLimit: bigint;
  timestamp: bigint;
  difficulty: bigint;
  totalDifficulty: bigint;
  size: bigint | null;
  baseFeePerGas: bigint | null;
}

export interface TransactionData {
  hash: string;
  index: bigint;
  from: string;
  to: string | null;
  value: bigint;
  gasLimit: bigint;
  gasPrice: bigint;
  input: string;
  nonce: bigint;
}

export interface LogData {
  address: string;
  topics: string[];
  data: string;
  blockHash: string;
  blockNumber: bigint;
  transactionHash: string;
  transactionIndex: bigint;
  logIndex: bigint;
  removed: boolean;
}

export interface ReceiptData {
  transactionHash: string;
  transactionIndex: bigint;
  blockHash: string;
  blockNumber: bigint;
  cumulativeGasUsed: bigint;
  gasUsed: bigint;
  contractAddress: string | null;
  logs: LogData[];
  status: bigint;
  root: string | null;
  logsBloom: string;
}

export interface EventData {
  address: string;
  logIndex: bigint;
  block: BlockData;
  transaction: TransactionData;
  params: Array<{ name: string; type: AbiParameter; value: unknown; indexed: boolean }>;
  receipt: ReceiptData | null;
}

const ETH_KIND = {
  address: 0,
  fixedBytes: 1,
  bytes: 2,
  int: 3,
  uint: 4,
  bool: 5,
  string: 6,
  fixedArray: 7,
  array: 8,
  tuple: 9,
};

// The same hashes, addresses and transaction inputs are written for every event of a block (a
// batched transaction's input, tens of KB, for each of its events): each is converted once.
const HEX_BYTES = new Map<string, Uint8Array>();
const HEX_BYTES_MAX = 4_096;

function hexBytes(hex: string): Uint8Array {
  let converted = HEX_BYTES.get(hex);
  if (!converted) {
    converted = hex.length % 2 === 0 ? Buffer.from(hex.slice(2), 'hex') : hexToBytes(hex as `0x${string}`);
    if (HEX_BYTES.size >= HEX_BYTES_MAX) HEX_BYTES.clear();
    HEX_BYTES.set(hex, converted);
  }
  return converted;
}

const bytes = (memory: AscMemory, hex: string) => memory.writeBytes(hexBytes(hex));
const big = (memory: AscMemory, value: bigint) => memory.writeBigInt(value);

export function writeBlock(memory: AscMemory, block: BlockData): number {
  return memory.writeStruct(TypeIndex.EthereumBlock, [
    bytes(memory, block.hash),
    bytes(memory, block.parentHash),
    bytes(memory, block.unclesHash),
    bytes(memory, block.author),
    bytes(memory, block.stateRoot),
    bytes(memory, block.transactionsRoot),
    bytes(memory, block.receiptsRoot),
    big(memory, block.number),
    big(memory, block.gasUsed),
    big(memory, block.gasLimit),
    big(memory, block.timestamp),
    big(memory, block.difficulty),
    big(memory, block.totalDifficulty),
    block.size === null ? 0 : big(memory, block.size),
    block.baseFeePerGas === null ? 0 : big(memory, block.baseFeePerGas),
  ]);
}

export function writeTransaction(memory: AscMemory, tx: TransactionData): number {
  return memory.writeStruct(TypeIndex.EthereumTransaction, [
    bytes(memory, tx.hash),
    big(memory, tx.index),
    bytes(memory, tx.from),
    tx.to === null ? 0 : bytes(memory, tx.to),
    big(memory, tx.value),
    big(memory, tx.gasLimit),
    big(memory, tx.gasPrice),
    bytes(memory, tx.input),
    big(memory, tx.nonce),
  ]);
}

/** An ABI-decoded value as ethereum.Value (viem's decoding: bigint, hex strings, arrays, tuples). */
export function writeEthereumValue(memory: AscMemory, type: AbiParameter, value: unknown, indexed = false): number {
  const write = (kind: number, payload: number | bigint) =>
    memory.writeEnum(TypeIndex.EthereumValue, kind, BigInt(payload));
  const t = type.type;
  if (indexed && hashedInTopic(type)) return write(ETH_KIND.fixedBytes, bytes(memory, value as string)); // the topic's hash
  const arrayMatch = /^(.*)\[(\d*)\]$/.exec(t);
  if (arrayMatch) {
    const inner = { ...type, type: arrayMatch[1] as string } as AbiParameter;
    const items = (value as unknown[]).map((item) => writeEthereumValue(memory, inner, item));
    return write(
      arrayMatch[2] ? ETH_KIND.fixedArray : ETH_KIND.array,
      memory.writeArray(TypeIndex.ArrayEthereumValue, items),
    );
  }
  if (t === 'tuple') {
    const components = (type as { components: readonly AbiParameter[] }).components;
    const items = components.map((component, index) => {
      const item = Array.isArray(value) ? value[index] : (value as Record<string, unknown>)[component.name ?? ''];
      return writeEthereumValue(memory, component, item);
    });
    return write(ETH_KIND.tuple, memory.writeArray(TypeIndex.ArrayEthereumValue, items));
  }
  if (t === 'address') return write(ETH_KIND.address, bytes(memory, value as string));
  if (t === 'bool') return write(ETH_KIND.bool, value ? 1 : 0);
  if (t === 'string') return write(ETH_KIND.string, memory.writeString(value as string));
  if (t === 'bytes') return write(ETH_KIND.bytes, bytes(memory, value as string));
  if (t.startsWith('bytes')) return write(ETH_KIND.fixedBytes, bytes(memory, value as string));
  if (t.startsWith('int')) return write(ETH_KIND.int, memory.writeBigInt(BigInt(value as bigint)));
  if (t.startsWith('uint')) return write(ETH_KIND.uint, memory.writeBigInt(BigInt(value as bigint)));
  throw new Error(`ABI type ${t} cannot be passed to a mapping`);
}

function writeLog(memory: AscMemory, log: LogData): number {
  const removed = memory.writeObject(TypeIndex.WrappedBool, Uint8Array.of(log.removed ? 1 : 0));
  return memory.writeStruct(TypeIndex.Log, [
    bytes(memory, log.address),
    memory.writeArray(
      TypeIndex.ArrayH256,
      log.topics.map((topic) => bytes(memory, topic)),
    ),
    bytes(memory, log.data),
    bytes(memory, log.blockHash),
    big(memory, log.blockNumber),
    bytes(memory, log.transactionHash),
    big(memory, log.transactionIndex),
    big(memory, log.logIndex),
    0,
    0,
    removed,
  ]);
}

export function writeReceipt(memory: AscMemory, receipt: ReceiptData): number {
  return memory.writeStruct(TypeIndex.TransactionReceipt, [
    bytes(memory, receipt.transactionHash),
    big(memory, receipt.transactionIndex),
    bytes(memory, receipt.blockHash),
    big(memory, receipt.blockNumber),
    big(memory, receipt.cumulativeGasUsed),
    big(memory, receipt.gasUsed),
    receipt.contractAddress === null ? 0 : bytes(memory, receipt.contractAddress),
    memory.writeArray(
      TypeIndex.ArrayLog,
      receipt.logs.map((log) => writeLog(memory, log)),
    ),
    big(memory, receipt.status),
    receipt.root === null ? 0 : bytes(memory, receipt.root),
    bytes(memory, receipt.logsBloom),
  ]);
}

export function writeEvent(memory: AscMemory, event: EventData): number {
  const params = event.params.map((param) =>
    memory.writeStruct(TypeIndex.EventParam, [
      memory.writeString(param.name),
      writeEthereumValue(memory, param.type, param.value, param.indexed),
    ]),
  );
  const logIndex = big(memory, event.logIndex);
  return memory.writeStruct(TypeIndex.EthereumEvent, [
    bytes(memory, event.address),
    logIndex,
    logIndex,
    0,
    writeBlock(memory, event.block),
    writeTransaction(memory, event.transaction),
    memory.writeArray(TypeIndex.ArrayEventParam, params),
    event.receipt === null ? 0 : writeReceipt(memory, event.receipt),
  ]);
}

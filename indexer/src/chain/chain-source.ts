// What the runner asks of a chain: its head, the logs of a block range for a set of addresses and
// event topics, and the blocks and receipts that triggers need — each fetched only on demand.
import type { RpcBlock, RpcLog, RpcTransactionReceipt } from 'viem';
import { isRangeTooLarge, LogRange, type LogRangeOptions } from './log-range.js';
import { type RpcClient, RpcError, RpcTimeoutError } from './rpc-client.js';

export interface LogFilter {
  /** Contract addresses (lower-case); null for any address (a data source without `address`). */
  addresses: string[] | null;
  /** Any-of topic0 values. */
  topic0: string[];
}

export interface LogBatch {
  fromBlock: number;
  toBlock: number;
  logs: RpcLog[];
}

/** Addresses per eth_getLogs call: node request-size limits make longer lists fail. */
const ADDRESSES_PER_CALL = 1_000;

export class ChainSource {
  private readonly range: LogRange;

  constructor(
    readonly rpc: RpcClient,
    rangeOptions: LogRangeOptions = {},
  ) {
    this.range = new LogRange(rangeOptions);
  }

  async chainId(): Promise<number> {
    return Number(await this.rpc.request<string>('eth_chainId', []));
  }

  async headNumber(): Promise<number> {
    return Number(await this.rpc.request<string>('eth_blockNumber', []));
  }

  /**
   * Logs from `fromBlock` up to at most `maxToBlock`, possibly fewer blocks: the batch says which
   * range it covers. Logs are sorted by block number, then log index.
   */
  async logs(fromBlock: number, maxToBlock: number, filter: LogFilter): Promise<LogBatch> {
    if (filter.topic0.length === 0 || (filter.addresses !== null && filter.addresses.length === 0)) {
      return { fromBlock, toBlock: maxToBlock, logs: [] };
    }
    for (;;) {
      const toBlock = Math.min(maxToBlock, fromBlock + this.range.size - 1);
      try {
        const logs = await this.logsInRange(fromBlock, toBlock, filter);
        this.range.observe(toBlock - fromBlock + 1, logs.length);
        return { fromBlock, toBlock, logs };
      } catch (error) {
        const tooLarge =
          error instanceof RpcTimeoutError || (error instanceof RpcError && isRangeTooLarge(error.details));
        if (!tooLarge) throw error;
        if (toBlock === fromBlock || !this.range.shrink()) throw error;
      }
    }
  }

  private async logsInRange(fromBlock: number, toBlock: number, filter: LogFilter): Promise<RpcLog[]> {
    const base = { fromBlock: toHex(fromBlock), toBlock: toHex(toBlock), topics: [filter.topic0] };
    const addressGroups = filter.addresses === null ? [undefined] : chunk(filter.addresses, ADDRESSES_PER_CALL);
    const results = await Promise.all(
      addressGroups.map((address) =>
        this.rpc.request<RpcLog[]>('eth_getLogs', [address === undefined ? base : { ...base, address }], {
          retryTimeouts: false,
        }),
      ),
    );
    const logs = results.length === 1 ? (results[0] ?? []) : results.flat();
    if (results.length > 1) logs.sort(compareLogs);
    return logs.filter((log) => !log.removed);
  }

  /** Blocks by number (with full transactions when `transactions`), in one batch. */
  async blocks(numbers: number[], transactions: boolean): Promise<Map<number, RpcBlock>> {
    const blocks = await Promise.all(
      numbers.map((n) => this.rpc.request<RpcBlock | null>('eth_getBlockByNumber', [toHex(n), transactions])),
    );
    const byNumber = new Map<number, RpcBlock>();
    blocks.forEach((block, i) => {
      const n = numbers[i] as number;
      if (block === null) throw new BlockMissingError(n);
      byNumber.set(n, block);
    });
    return byNumber;
  }

  async block(number: number, transactions = false): Promise<RpcBlock> {
    return (await this.blocks([number], transactions)).get(number) as RpcBlock;
  }

  async receipts(transactionHashes: string[]): Promise<Map<string, RpcTransactionReceipt>> {
    const unique = [...new Set(transactionHashes)];
    const receipts = await Promise.all(
      unique.map((hash) => this.rpc.request<RpcTransactionReceipt | null>('eth_getTransactionReceipt', [hash])),
    );
    const byHash = new Map<string, RpcTransactionReceipt>();
    receipts.forEach((receipt, i) => {
      if (receipt !== null) byHash.set(unique[i] as string, receipt);
    });
    return byHash;
  }
}

/** The node does not (or no longer) have a block below its head: a reorg or a lagging node. */
export class BlockMissingError extends Error {
  constructor(readonly blockNumber: number) {
    super(`block ${blockNumber} is not available from the node`);
    this.name = 'BlockMissingError';
  }
}

export function compareLogs(a: RpcLog, b: RpcLog): number {
  return Number(a.blockNumber) - Number(b.blockNumber) || Number(a.logIndex) - Number(b.logIndex);
}

export function toHex(n: number): `0x${string}` {
  return `0x${n.toString(16)}`;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

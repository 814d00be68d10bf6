// Runs a built subgraph's handlers block by block with graph-node's dispatch
// (chain/ethereum/src/trigger.rs, core/src/subgraph/runner/mod.rs): `once` block handlers, then
// logs by log index (data sources in creation order), then the other block handlers; templates
// created in a block are re-scanned against the same block, breadth-first; a deterministic error
// drops the block's changes and names the handler.
import type { Hex, RpcBlock, RpcLog, RpcTransaction, RpcTransactionReceipt } from 'viem';
import { type DataSourceSpec, type EventHandler, loadManifest, type Manifest } from '../manifest/manifest.js';
import { parseSchema, type SubgraphSchema } from '../schema/schema.js';
import type { BlockPtr, Entity, EntityChange } from '../schema/value.js';
import { MappingAbort } from './asc-memory.js';
import { declaredCallRequest } from './call-prefetch.js';
import { DeterministicError, EntityCache, type EntityReader } from './entity-cache.js';
import { BlockCalls, type CallRequest, type EthereumChain } from './ethereum-calls.js';
import {
  type BlockData,
  type EventData,
  type ReceiptData,
  type TransactionData,
  writeBlock,
  writeEvent,
} from './ethereum-event.js';
import { decodeEventParams } from './event-params.js';
import { HostFunctionMissing, LOG_LEVELS, type TriggerEnv } from './host-functions.js';
import { type InstanceReuse, MappingModule } from './mapping-module.js';

export interface ChainBlockInput {
  ptr: BlockPtr;
  raw: RpcBlock;
  logs: RpcLog[];
  receipts: Map<string, RpcTransactionReceipt>;
}

export interface DynamicDataSource {
  template: string;
  address: string;
  context: unknown;
  startBlock: number;
}

export interface BlockResult {
  changes: EntityChange[];
  createdDataSources: DynamicDataSource[];
  failure: { message: string; handler: string | null } | null;
  triggers: number;
}

interface ActiveDataSource {
  spec: DataSourceSpec;
  address: string | null;
  context: Entity | null;
  startBlock: number;
  dynamic: DynamicDataSource | null;
}

export type MappingLogger = (level: string, message: string, dataSource: string) => void;

/**
 * `INDEXER_WASM_INSTANCES=fresh` instantiates every trigger's module afresh, as graph-node does,
 * instead of resetting a kept instance (the default, same results, much cheaper): a way to rule
 * the reset out when a mapping behaves oddly.
 */
function instanceReuseFromEnv(): InstanceReuse {
  const value = process.env.INDEXER_WASM_INSTANCES ?? 'reset';
  if (value !== 'reset' && value !== 'fresh') {
    throw new Error(`INDEXER_WASM_INSTANCES must be "reset" or "fresh", not "${value}"`);
  }
  return value;
}

/** A handler failed deterministically; the message says where. */
export class HandlerError extends Error {
  constructor(
    message: string,
    readonly handler: string,
  ) {
    super(message);
  }
}

export class SubgraphRuntime {
  readonly schema: SubgraphSchema;
  readonly network: string;
  readonly startBlock: number;
  readonly needsEveryBlock: boolean;
  readonly needsReceipts: boolean;
  readonly hasDeclaredCalls: boolean;
  readonly modules = new Map<string, MappingModule>();
  dynamic: ActiveDataSource[] = [];
  logger: MappingLogger = () => {};
  /** The node `ethereum.call`, `getBalance` and `hasCode` read; null: those calls fail the handler. */
  chain: EthereumChain | null = null;

  constructor(
    readonly manifest: Manifest,
    reuse: InstanceReuse = instanceReuseFromEnv(),
  ) {
    this.schema = parseSchema(manifest.schema);
    const first = manifest.dataSources[0] as DataSourceSpec;
    this.network = first.network;
    this.startBlock = Math.min(...manifest.dataSources.map((ds) => ds.startBlock));
    const all = [...manifest.dataSources, ...manifest.templates];
    this.needsEveryBlock = all.some((ds) => ds.blockHandlers.length > 0);
    this.needsReceipts = all.some((ds) => ds.eventHandlers.some((h) => h.receipt));
    this.hasDeclaredCalls = all.some((ds) => ds.eventHandlers.some((h) => h.declaredCalls.length > 0));
    const fieldNames = [...this.schema.entityTypes.values()].flatMap((type) => type.fields.map((field) => field.name));
    for (const ds of all) {
      if (!this.modules.has(ds.wasmFile)) {
        this.modules.set(ds.wasmFile, new MappingModule(ds.wasmFile, reuse, fieldNames));
      }
    }
  }

  static load(manifestPath: string): SubgraphRuntime {
    return new SubgraphRuntime(loadManifest(manifestPath));
  }

  private staticSources(): ActiveDataSource[] {
    return this.manifest.dataSources.map((spec) => ({
      spec,
      address: spec.address,
      context: null,
      startBlock: spec.startBlock,
      dynamic: null,
    }));
  }

  activeDataSources(): ActiveDataSource[] {
    return [...this.staticSources(), ...this.dynamic];
  }

  logFilter(): { addresses: string[] | null; topic0: string[] } {
    const sources = this.activeDataSources();
    const wildcard = sources.some((ds) => ds.address === null);
    const addresses = wildcard ? null : [...new Set(sources.map((ds) => ds.address as string))];
    const topics = new Set<string>();
    for (const ds of sources) for (const h of ds.spec.eventHandlers) topics.add(h.topic0);
    return { addresses, topic0: [...topics] };
  }

  setDynamicDataSources(dataSources: DynamicDataSource[]): void {
    this.dynamic = dataSources.map((ds) => this.instantiateTemplate(ds));
  }

  instantiateTemplate(ds: DynamicDataSource): ActiveDataSource {
    const spec = this.manifest.templates.find((t) => t.name === ds.template);
    if (!spec)
      throw new DeterministicError(
        `Failed to create data source from name \`${ds.template}\`: no template with that name`,
      );
    return {
      spec,
      address: ds.address,
      context: deserializeContext(ds.context),
      startBlock: ds.startBlock,
      dynamic: ds,
    };
  }

  /** Runs every trigger of the block against `state` (the entities at the start of the block). */
  async processBlock(block: ChainBlockInput, state: EntityReader): Promise<BlockResult> {
    const session = this.openBlock(block, state);
    const logs = [...block.logs].sort((a, b) => Number(BigInt(a.logIndex ?? '0x0') - BigInt(b.logIndex ?? '0x0')));
    if (this.hasDeclaredCalls && this.chain) await session.prefetchDeclaredCalls(logs);
    return session.run(() => {
      let sources = session.sources;
      session.runBlockHandlers(sources, true);
      // Breadth-first: the sources created by one pass see the same block in the next pass.
      for (let pass = 0; sources.length > 0; pass += 1) {
        const before = session.created.length;
        for (const log of logs) for (const ds of sources) session.runLog(ds, log);
        if (pass === 0) session.runBlockHandlers(sources, false);
        sources = session.adopt(before);
      }
    });
  }

  /**
   * One block's triggers fed one at a time (the test harness): data sources created by a handler
   * receive the block's later triggers.
   */
  openBlock(block: ChainBlockInput, state: EntityReader): BlockSession {
    return new BlockSession(this, block, state);
  }

  activeAt(ds: ActiveDataSource, blockNumber: number): boolean {
    return blockNumber >= ds.startBlock && (ds.spec.endBlock === null || blockNumber <= ds.spec.endBlock);
  }
}

/** The triggers of one block and what they changed so far. */
export class BlockSession {
  readonly cache: EntityCache;
  readonly created: DynamicDataSource[] = [];
  readonly blockData: BlockData;
  /** eth_calls at this block, cached for it. */
  readonly calls: BlockCalls;
  sources: ActiveDataSource[];
  triggers = 0;

  constructor(
    private readonly runtime: SubgraphRuntime,
    private readonly block: ChainBlockInput,
    state: EntityReader,
  ) {
    this.cache = new EntityCache(runtime.schema, state);
    this.blockData = toBlockData(block.raw, block.ptr);
    this.calls = new BlockCalls(runtime.chain, { number: BigInt(block.ptr.number), hash: block.ptr.hash || null });
    this.sources = runtime.activeDataSources().filter((ds) => runtime.activeAt(ds, block.ptr.number));
  }

  /** Runs `body`; a handler failure becomes the block's failure with no changes. */
  run(body: () => void): BlockResult {
    try {
      body();
    } catch (error) {
      // A failed block leaves no trace: its data sources are forgotten too.
      this.runtime.dynamic = this.runtime.dynamic.filter(
        (ds) => !this.created.includes(ds.dynamic as DynamicDataSource),
      );
      if (error instanceof HandlerError) {
        return {
          changes: [],
          createdDataSources: [],
          failure: { message: error.message, handler: error.handler },
          triggers: this.triggers,
        };
      }
      throw error;
    }
    return this.finish();
  }

  finish(): BlockResult {
    return {
      changes: this.cache.changes(),
      createdDataSources: [...this.created],
      failure: null,
      triggers: this.triggers,
    };
  }

  /** Activates the data sources created since `before`; returns them. */
  adopt(before: number): ActiveDataSource[] {
    const fresh = this.created.slice(before).map((d) => this.runtime.instantiateTemplate(d));
    this.runtime.dynamic.push(...fresh);
    return fresh;
  }

  /** Feeds one log to every active data source (the harness's path). */
  runLogEverywhere(log: RpcLog): void {
    const before = this.created.length;
    for (const ds of this.sources) this.runLog(ds, log);
    this.sources.push(...this.adopt(before));
  }

  runBlockHandlers(sources: ActiveDataSource[], once: boolean): void {
    const block = this.blockData;
    for (const ds of sources) {
      for (const handler of ds.spec.blockHandlers) {
        const filter = handler.filter;
        if (filter?.kind === 'call') {
          throw new HandlerError(
            `block handler \`${handler.handler}\` filters on calls, which need traces: not supported on this chain`,
            handler.handler,
          );
        }
        const isOnce = filter?.kind === 'once';
        if (isOnce !== once) continue;
        const number = Number(block.number);
        if (isOnce && number !== ds.startBlock) continue;
        if (filter?.kind === 'polling' && (number - ds.startBlock) % filter.every !== 0) continue;
        this.invoke(ds, handler.handler, (memory) => writeBlock(memory, block));
      }
    }
  }

  /**
   * graph-node's declared calls: the `calls:` of the handlers these logs trigger in the data sources
   * active at the block's start, made together before any handler runs (templates created during
   * the block are not known yet, as in graph-node).
   */
  async prefetchDeclaredCalls(logs: RpcLog[]): Promise<void> {
    const requests: CallRequest[] = [];
    for (const log of logs) {
      const topic0 = log.topics[0]?.toLowerCase();
      for (const ds of this.sources) {
        if (ds.address !== null && ds.address !== log.address.toLowerCase()) continue;
        for (const handler of ds.spec.eventHandlers) {
          if (handler.declaredCalls.length === 0 || !handlerMatches(handler, topic0, log)) continue;
          const params = decodeEventParams(handler.abiEvent, log);
          if (params === null) continue;
          for (const call of handler.declaredCalls) {
            const request = declaredCallRequest(call, log.address, params);
            if (request) requests.push(request);
          }
        }
      }
    }
    await this.calls.prefetch(requests);
  }

  runLog(ds: ActiveDataSource, log: RpcLog): void {
    if (ds.address !== null && ds.address !== log.address.toLowerCase()) return;
    const topic0 = log.topics[0]?.toLowerCase();
    const block = this.block;
    const blockData = this.blockData;
    for (const handler of ds.spec.eventHandlers) {
      if (!handlerMatches(handler, topic0, log)) continue;
      const params = decodeEventParams(handler.abiEvent, log);
      if (params === null) continue; // graph-node skips logs its ABI cannot decode
      const txHash = (log.transactionHash ?? '0x') as string;
      const event: EventData = {
        address: log.address,
        logIndex: BigInt(log.logIndex ?? '0x0'),
        block: blockData,
        transaction: toTransactionData(block.raw, log),
        params,
        receipt: handler.receipt ? toReceiptData(block.receipts.get(txHash)) : null,
      };
      this.invoke(ds, handler.handler, (memory) => writeEvent(memory, event), txHash);
    }
  }

  private invoke(
    ds: ActiveDataSource,
    handler: string,
    writeArgument: Parameters<MappingModule['run']>[2],
    transaction?: string,
  ): void {
    const { cache, created, blockData: block } = this;
    const runtime = this.runtime;
    this.triggers += 1;
    const module = runtime.modules.get(ds.spec.wasmFile) as MappingModule;
    const pending: DynamicDataSource[] = [];
    const makeEnv = (memory: TriggerEnv['memory']): TriggerEnv => ({
      memory,
      cache,
      strictFields: ds.spec.apiVersion >= '0.0.8',
      dataSource: {
        name: ds.spec.name,
        address: ds.address ?? '0x0000000000000000000000000000000000000000',
        network: ds.spec.network,
        context: ds.context,
      },
      createDataSource: (template, params, context) => {
        const spec = runtime.manifest.templates.find((t) => t.name === template);
        if (!spec)
          throw new DeterministicError(
            `Failed to create data source from name \`${template}\`: no template with that name`,
          );
        const address = (params[0] ?? '').toLowerCase();
        const serialized = serializeContext(context);
        const duplicate = [...runtime.dynamic.map((d) => d.dynamic), ...created, ...pending].some(
          (d) =>
            d !== null &&
            d.template === template &&
            d.address === address &&
            JSON.stringify(d.context) === JSON.stringify(serialized),
        );
        if (!duplicate) pending.push({ template, address, context: serialized, startBlock: Number(block.number) });
      },
      log: (level, message) => runtime.logger(LOG_LEVELS[level] ?? 'info', message, ds.spec.name),
      ethereum: { calls: this.calls, abis: ds.spec.abis, apiVersion: ds.spec.apiVersion },
    });
    try {
      module.run(handler, makeEnv, writeArgument);
      cache.commitHandler();
      created.push(...pending);
    } catch (error) {
      cache.discardHandler();
      if (
        error instanceof MappingAbort ||
        error instanceof DeterministicError ||
        error instanceof HostFunctionMissing ||
        error instanceof WebAssembly.RuntimeError
      ) {
        const where = `block #${block.number} (${block.hash})${transaction ? `, transaction ${transaction}` : ''}`;
        throw new HandlerError(`${error.message} in handler \`${handler}\` at ${where}`, handler);
      }
      throw error;
    }
  }
}

/** Topic0 and the indexed-argument filters (spec 1.2.0+) of an event handler. */
function handlerMatches(handler: EventHandler, topic0: string | undefined, log: RpcLog): boolean {
  if (handler.topic0 !== topic0) return false;
  return !handler.topicFilters.some(
    (allowed, i) => allowed !== null && !allowed.includes((log.topics[i + 1] ?? '').toLowerCase() as Hex),
  );
}

const ZERO_HASH = `0x${'0'.repeat(64)}`;
const ZERO_ADDRESS = `0x${'0'.repeat(40)}`;
const big = (hex: string | null | undefined) => (hex ? BigInt(hex) : 0n);

export function toBlockData(raw: RpcBlock, ptr: BlockPtr): BlockData {
  return {
    hash: raw.hash ?? ptr.hash,
    parentHash: raw.parentHash ?? ptr.parentHash ?? ZERO_HASH,
    unclesHash: raw.sha3Uncles ?? ZERO_HASH,
    author: raw.miner ?? ZERO_ADDRESS,
    stateRoot: raw.stateRoot ?? ZERO_HASH,
    transactionsRoot: raw.transactionsRoot ?? ZERO_HASH,
    receiptsRoot: raw.receiptsRoot ?? ZERO_HASH,
    number: BigInt(ptr.number),
    gasUsed: big(raw.gasUsed),
    gasLimit: big(raw.gasLimit),
    timestamp: BigInt(ptr.timestamp),
    difficulty: big(raw.difficulty),
    totalDifficulty: big(raw.totalDifficulty),
    size: raw.size ? BigInt(raw.size) : null,
    baseFeePerGas: raw.baseFeePerGas ? BigInt(raw.baseFeePerGas) : null,
  };
}

// A block's transactions by hash: every event of a block looks its transaction up.
const transactionsByHash = new WeakMap<RpcBlock, Map<string, RpcTransaction>>();

function transactionOf(raw: RpcBlock, hash: string | null): RpcTransaction | undefined {
  let byHash = transactionsByHash.get(raw);
  if (!byHash) {
    byHash = new Map();
    for (const t of (raw.transactions ?? []) as Array<RpcTransaction | string>) {
      if (typeof t === 'object') byHash.set(t.hash, t);
    }
    transactionsByHash.set(raw, byHash);
  }
  return hash === null ? undefined : byHash.get(hash);
}

function toTransactionData(raw: RpcBlock, log: RpcLog): TransactionData {
  const tx = transactionOf(raw, log.transactionHash);
  return {
    hash: log.transactionHash ?? ZERO_HASH,
    index: big(log.transactionIndex),
    from: tx?.from ?? ZERO_ADDRESS,
    to: tx?.to ?? null,
    value: big(tx?.value),
    gasLimit: big(tx?.gas),
    gasPrice: big(tx?.gasPrice),
    input: tx?.input ?? '0x',
    nonce: big(tx?.nonce),
  };
}

function toReceiptData(receipt: RpcTransactionReceipt | undefined): ReceiptData | null {
  if (!receipt) return null;
  return {
    transactionHash: receipt.transactionHash,
    transactionIndex: big(receipt.transactionIndex),
    blockHash: receipt.blockHash,
    blockNumber: big(receipt.blockNumber),
    cumulativeGasUsed: big(receipt.cumulativeGasUsed),
    gasUsed: big(receipt.gasUsed),
    contractAddress: receipt.contractAddress ?? null,
    logs: receipt.logs.map((l) => ({
      address: l.address,
      topics: l.topics,
      data: l.data,
      blockHash: l.blockHash ?? ZERO_HASH,
      blockNumber: big(l.blockNumber),
      transactionHash: l.transactionHash ?? ZERO_HASH,
      transactionIndex: big(l.transactionIndex),
      logIndex: big(l.logIndex),
      removed: l.removed ?? false,
    })),
    status: big(receipt.status),
    root: receipt.root ?? null,
    logsBloom: receipt.logsBloom,
  };
}

/** A DataSourceContext as JSON the store can keep: [[key, kind, value]] with bytes as hex. */
export function serializeContext(context: Entity | null): unknown {
  if (!context) return null;
  return [...context.entries()].map(([key, value]) => [key, value.kind, encodeContextValue(value)]);
}

function encodeContextValue(value: Entity extends Map<string, infer V> ? V : never): unknown {
  switch (value.kind) {
    case 'Bytes':
      return `0x${Buffer.from(value.value).toString('hex')}`;
    case 'BigInt':
    case 'Int8':
    case 'Timestamp':
      return value.value.toString();
    case 'List':
      return value.value.map(encodeContextValue);
    case 'Null':
      return null;
    default:
      return value.value;
  }
}

export function deserializeContext(serialized: unknown): Entity | null {
  if (!Array.isArray(serialized)) return null;
  const decode = (kind: string, raw: unknown): Entity extends Map<string, infer V> ? V : never => {
    switch (kind) {
      case 'Bytes':
        return { kind, value: Uint8Array.from(Buffer.from(String(raw).slice(2), 'hex')) };
      case 'BigInt':
      case 'Int8':
      case 'Timestamp':
        return { kind, value: BigInt(String(raw)) };
      case 'Int':
        return { kind, value: Number(raw) };
      case 'Bool':
        return { kind, value: Boolean(raw) };
      case 'Null':
        return { kind };
      case 'List':
        return { kind, value: (raw as unknown[]).map((item) => decode('String', item)) };
      default:
        return { kind: kind as 'String', value: String(raw) };
    }
  };
  return new Map(serialized.map(([key, kind, raw]: [string, string, unknown]) => [key, decode(kind, raw)]));
}

// Indexes one deployment: streams block ranges from the chain, runs the subgraph per block against
// the in-memory entity state, writes each range's blocks with the new cursor in one store
// transaction, follows the head once synced, reverts on reorgs, and stops — still serving — on a
// deterministic handler error. A range's transaction commits while the next range's handlers run
// (at most one in flight), and far from the head the next range's logs and first blocks load
// meanwhile; the status, reorg checks and reverts see committed blocks only.
import type { RpcBlock, RpcLog, RpcTransactionReceipt } from 'viem';
import type { ChainSource, LogBatch, LogFilter } from '../chain/chain-source.js';
import { findCommonAncestor, isCanonical, RecentBlocks } from '../chain/reorgs.js';
import { sleep } from '../chain/rpc-client.js';
import type { IndexerMetrics } from '../metrics/indexer-metrics.js';
import type { BlockPtr, EntityChange } from '../schema/value.js';
import type { BlockRef, DeploymentStatus, Health, IndexingError } from '../status/schema.js';
import { EntityState } from './entity-state.js';
import type {
  BlockChanges,
  ChainBlock,
  DeploymentStore,
  DynamicDataSource,
  FatalError,
  SubgraphRuntime,
} from './ports.js';
import { ProgressMeter } from './progress.js';

export interface DeploymentRunnerOptions {
  name: string;
  deployment: string;
  source: ChainSource;
  runtime: SubgraphRuntime;
  store: DeploymentStore;
  finalityDepth: number;
  pollIntervalMs: number;
  /** Most blocks asked for in one range (the log range adapts below it). */
  maxRangeBlocks?: number;
  /** Stop once this block is indexed (benchmarks and tests). */
  stopAtBlock?: number;
  metrics?: IndexerMetrics;
  /** One-line messages for the terminal: reorgs, retries, failures. */
  log?: (line: string) => void;
}

/** The chain changed between fetching logs and blocks: retry the range after a reorg check. */
class ChainMovedError extends Error {}

/** A range's logs, grouped by block, with the first batch of the blocks its triggers are in. */
interface PreparedRange {
  batch: LogBatch;
  logsByBlock: Map<number, RpcLog[]>;
  /** The blocks to run, ascending. */
  triggerBlocks: number[];
  firstBlocks: Promise<BlockBatch> | null;
}

interface BlockBatch {
  numbers: number[];
  blocks: Map<number, RpcBlock>;
  receipts: Map<string, RpcTransactionReceipt>;
}

/** The next range, loading while this one's handlers run (see step). */
interface Prefetch {
  from: number;
  filter: string;
  range: Promise<PreparedRange>;
}

/** A range's store write, committing while the next range is processed. */
interface Write {
  done: Promise<void>;
  settled: boolean;
}

export class DeploymentRunner {
  private state = new EntityState();
  /** The last committed block. */
  private cursor: BlockPtr | null = null;
  /** The last block processed: the cursor, or the head of the write in flight. */
  private tip: BlockPtr | null = null;
  private writing: Write | null = null;
  /** Entities at the cursor (the state also holds the write in flight's). */
  private committedEntities = 0;
  private dynamicDataSources: DynamicDataSource[] = [];
  private chainHead: BlockPtr | null = null;
  private earliest: BlockRef | null = null;
  private fatal: FatalError | null = null;
  /** The last block written before a failure, when this process saw it. */
  private lastHealthy: BlockRef | null = null;
  private synced = false;
  private stopped = false;
  private readonly stopping = new AbortController();
  private reloadNeeded = true;
  private events = 0;
  private changesSinceAnalyze = 0;
  private prefetched: Prefetch | null = null;
  /** Set once the store's postponed indexes exist (graph-node's `postponed_indexes_created`). */
  private postponedIndexesCreated = false;
  private lastProblem: string | null = null;
  private readonly recent: RecentBlocks;
  readonly progress = new ProgressMeter();
  private readonly labels: { deployment: string };

  constructor(private readonly options: DeploymentRunnerOptions) {
    this.recent = new RecentBlocks(options.finalityDepth);
    this.labels = { deployment: options.deployment };
  }

  /** Runs until stop(), a deterministic failure, or `stopAtBlock`. */
  async run(): Promise<void> {
    let failures = 0;
    while (!this.stopped && !this.fatal) {
      try {
        if (this.reloadNeeded) await this.reload();
        if (this.fatal) break;
        const done = await this.step();
        if (done) break;
        failures = 0;
        this.lastProblem = null;
      } catch (caught) {
        // The state is reloaded from the store below: a write still in flight ends first, and
        // its failure is the one to report.
        const error =
          (await this.committed().then(
            () => null,
            (writeError: unknown) => writeError,
          )) ?? caught;
        if (this.stopped) break;
        // Anything unexpected (store, node, a chain that moved under us): reload the state from
        // the store, which only ever holds whole ranges, and try again after a pause.
        failures += 1;
        this.reloadNeeded = true;
        this.lastProblem = error instanceof Error ? error.message : String(error);
        if (!(error instanceof ChainMovedError)) {
          this.options.log?.(`${this.options.name}: ${this.lastProblem}; retrying`);
          await sleep(Math.min(30_000, 200 * 2 ** Math.min(failures, 8)), this.stopping.signal);
        }
      }
    }
    // Only after stop() can a write still be in flight here: it ends before the store may be
    // closed, and its failure matters no more than any other after stop().
    await this.committed().catch(() => undefined);
    // A failed deployment writes no more but keeps serving queries: they need the indexes now.
    if (this.fatal && !this.stopped) {
      await this.createPostponedIndexes().catch((error: unknown) => {
        this.options.log?.(`${this.options.name}: creating postponed indexes failed: ${String(error)}`);
      });
    }
  }

  /** Ends run() soon: at once when waiting (poll, retry), else after the current range. */
  stop(): void {
    this.stopped = true;
    this.stopping.abort();
    this.options.source.rpc.close();
  }

  get latestBlock(): BlockPtr | null {
    return this.cursor;
  }

  status(): DeploymentStatus {
    const fatalError: IndexingError | null = this.fatal && {
      message: this.fatal.message,
      block: { number: this.fatal.block.number, hash: this.fatal.block.hash },
      handler: this.fatal.handler,
      deterministic: true,
    };
    const health: Health = this.fatal ? 'failed' : 'healthy';
    const latest =
      this.cursor && this.cursor.number >= 0 ? { number: this.cursor.number, hash: this.cursor.hash } : null;
    return {
      subgraphName: this.options.name,
      deployment: this.options.deployment,
      network: this.options.runtime.network,
      synced: this.synced,
      health,
      fatalError,
      nonFatalErrors: [],
      chainHeadBlock: this.chainHead && { number: this.chainHead.number, hash: this.chainHead.hash },
      earliestBlock: this.earliest,
      latestBlock: latest,
      lastHealthyBlock: this.fatal ? this.lastHealthy : latest,
      entityCount: BigInt(this.committedEntities),
      paused: false,
    };
  }

  /** The problem the runner is retrying right now, if any (for the terminal). */
  get problem(): string | null {
    return this.lastProblem;
  }

  private async reload(): Promise<void> {
    // After a failure or a revert the chain may differ from what was loaded ahead.
    this.prefetched = null;
    const { store, runtime } = this.options;
    this.fatal = await store.fatalError();
    this.cursor = await store.head();
    this.tip = this.cursor;
    this.state = EntityState.from(await store.currentEntities());
    this.committedEntities = this.state.size;
    this.dynamicDataSources = [...(await store.dynamicDataSources())];
    runtime.setDynamicDataSources(this.dynamicDataSources);
    if (this.cursor) this.recent.record(this.cursor);
    this.reloadNeeded = false;
    if (this.fatal) this.options.metrics?.failed.set(this.labels, 1);
  }

  /** One range, or one poll when synced. Returns true when `stopAtBlock` is reached. */
  private async step(): Promise<boolean> {
    const { source, runtime, finalityDepth, stopAtBlock } = this.options;
    const headNumber = await source.headNumber();
    if (!this.chainHead || this.chainHead.number !== headNumber) {
      this.chainHead = {
        number: headNumber,
        hash: (await source.block(headNumber)).hash ?? '0x',
        parentHash: null,
        timestamp: 0,
      };
      this.options.metrics?.chainHead.set(this.labels, headNumber);
    }
    if (!this.earliest) {
      const first = await source.block(Math.min(runtime.startBlock, headNumber));
      this.earliest = { number: Number(first.number), hash: first.hash ?? '0x' };
    }
    const tip = this.tip;
    const tipNumber = tip?.number ?? runtime.startBlock - 1;
    if (tip && headNumber - tip.number <= finalityDepth) {
      // Near the head the range in flight may be reorganised away: reorg checks and reverts work
      // on committed blocks.
      await this.committed();
      if (!(await isCanonical(source, tip))) {
        await this.revert(tip);
        return false;
      }
    }
    if (stopAtBlock !== undefined && tipNumber >= stopAtBlock) {
      await this.committed();
      return true;
    }
    const next = tipNumber + 1;
    if (next > headNumber) {
      await this.committed();
      if (!this.synced) {
        await this.createPostponedIndexes();
        if (this.changesSinceAnalyze > 0) await this.analyze();
      }
      // Like graph-node's (its deployment's `synced_at`, store/postgres/src/deployment.rs
      // `set_synced`), `synced` stays true once the head was reached: following new blocks does
      // not make a deployment unsynced, nor run the catch-up's index build and ANALYZE again.
      this.synced = true;
      await sleep(this.options.pollIntervalMs, this.stopping.signal);
      return false;
    }
    // Every block is fetched when block handlers need them: keep such ranges (one transaction) small.
    const maxRange = this.options.maxRangeBlocks ?? (runtime.needsEveryBlock ? 1_000 : 100_000);
    const rangeEnd = (from: number) =>
      Math.min(headNumber, stopAtBlock ?? Number.POSITIVE_INFINITY, from + maxRange - 1);
    const filter = runtime.logFilter();
    const filterKey = JSON.stringify(filter);
    const prefetched = this.prefetched;
    this.prefetched = null;
    const range = await (prefetched?.from === next && prefetched.filter === filterKey
      ? prefetched.range
      : this.prepareRange(next, rangeEnd(next), filter));
    // Far from the head (where block numbers are final), the next range's logs and first blocks
    // load while this range's handlers run; a range that adds data sources changes the filter,
    // and then what was loaded ahead is dropped.
    const following = range.batch.toBlock + 1;
    if (following <= rangeEnd(following) && headNumber - following > finalityDepth) {
      const ahead = this.prepareRange(following, rangeEnd(following), filter);
      ahead.catch(() => {});
      this.prefetched = { from: following, filter: filterKey, range: ahead };
    }
    await this.processRange(range);
    return false;
  }

  private async prepareRange(from: number, maxTo: number, filter: LogFilter): Promise<PreparedRange> {
    const batch = await this.options.source.logs(from, maxTo, filter);
    const logsByBlock = new Map<number, RpcLog[]>();
    for (const log of batch.logs) {
      const n = Number(log.blockNumber);
      let list = logsByBlock.get(n);
      if (!list) {
        list = [];
        logsByBlock.set(n, list);
      }
      list.push(log);
    }
    const triggerBlocks = this.options.runtime.needsEveryBlock
      ? Array.from({ length: batch.toBlock - batch.fromBlock + 1 }, (_, i) => batch.fromBlock + i)
      : [...logsByBlock.keys()].sort((a, b) => a - b);
    const firstBlocks = triggerBlocks.length > 0 ? this.fetchBlocks({ logsByBlock, triggerBlocks }, 0) : null;
    firstBlocks?.catch(() => {});
    return { batch, logsByBlock, triggerBlocks, firstBlocks };
  }

  /** Blocks `start`.. of a range's trigger blocks (one fetch's worth), with receipts if needed. */
  private async fetchBlocks(
    range: Pick<PreparedRange, 'logsByBlock' | 'triggerBlocks'>,
    start: number,
  ): Promise<BlockBatch> {
    const { source, runtime } = this.options;
    const numbers = range.triggerBlocks.slice(start, start + BLOCKS_PER_FETCH);
    const blocks = await source.blocks(numbers, true);
    const receipts = runtime.needsReceipts
      ? await source.receipts(
          numbers.flatMap((n) => (range.logsByBlock.get(n) ?? []).map((log) => log.transactionHash as string)),
        )
      : new Map<string, RpcTransactionReceipt>();
    return { numbers, blocks, receipts };
  }

  private async processRange(range: PreparedRange): Promise<void> {
    const { source, metrics } = this.options;
    const { batch, logsByBlock, triggerBlocks } = range;
    let pending: BlockChanges[] = [];
    let pendingChanges = 0;
    const created: DynamicDataSource[] = [];
    let end = batch.toBlock;
    let endPtr: BlockPtr | null = null;
    // The next batch of blocks is fetched while this one's handlers run: the node works on the
    // other core meanwhile. A batch left unused (the range ended early) is dropped.
    let nextBatch = range.firstBlocks;
    for (let i = 0; nextBatch !== null; i += BLOCKS_PER_FETCH) {
      const { numbers, blocks, receipts } = await nextBatch;
      nextBatch = i + BLOCKS_PER_FETCH < triggerBlocks.length ? this.fetchBlocks(range, i + BLOCKS_PER_FETCH) : null;
      nextBatch?.catch(() => {});
      for (const n of numbers) {
        // The handlers never wait on I/O: let the write in flight's replies in between blocks.
        if (this.writing && !this.writing.settled) await new Promise((resolve) => setImmediate(resolve));
        const raw = blocks.get(n) as RpcBlock;
        const logs = logsByBlock.get(n) ?? [];
        if (logs.some((log) => log.blockHash?.toLowerCase() !== raw.hash?.toLowerCase())) throw new ChainMovedError();
        const chainBlock: ChainBlock = { ptr: blockPtr(raw), raw, logs, receipts };
        const outcome = await this.runBlock(chainBlock);
        if ('failure' in outcome) {
          await this.failAt(outcome.failure, pending, created);
          return;
        }
        pending.push(outcome.changes);
        pendingChanges += outcome.changes.changes.length;
        created.push(...outcome.created);
        if (outcome.created.length > 0) {
          // Later blocks of this range need logs from the new addresses: end the range here.
          end = n;
          endPtr = chainBlock.ptr;
          break;
        }
        if (pendingChanges >= WRITE_BATCH_CHANGES && n < end) {
          // A long range is written in batches, each with its last block as the head, so that
          // the next batch's handlers run while one commits. graph-node's background writer
          // closes a batch by size too (store/postgres/src/writable.rs `Queue::push`,
          // GRAPH_STORE_WRITE_BATCH_SIZE in graph/src/env/store.rs).
          await this.write(pending, [], chainBlock.ptr);
          pending = [];
          pendingChanges = 0;
        }
      }
      if (endPtr) break;
    }
    endPtr ??=
      pending.at(-1)?.block.number === end ? (pending.at(-1) as BlockChanges).block : blockPtr(await source.block(end));
    await this.write(pending, created, endPtr);
    metrics?.blocksProcessed.inc(this.labels, end - batch.fromBlock + 1);
  }

  /**
   * Runs one block's triggers; when handlers create data sources, the same block is scanned again
   * for logs of the new addresses only (graph-node's breadth-first rescan).
   */
  private async runBlock(
    block: ChainBlock,
  ): Promise<{ changes: BlockChanges; created: DynamicDataSource[] } | { failure: FatalError }> {
    const { runtime, source, metrics } = this.options;
    const changes = new Map<string, EntityChange>();
    const created: DynamicDataSource[] = [];
    let current = block;
    for (;;) {
      const started = performance.now();
      const outcome = await runtime.processBlock(current, this.state);
      metrics?.handlerSeconds.observe(this.labels, (performance.now() - started) / 1000);
      this.events += outcome.triggers;
      metrics?.eventsProcessed.inc(this.labels, outcome.triggers);
      if (outcome.failure) {
        // graph-node drops the whole failing block: earlier passes of it included.
        this.reloadNeeded = true;
        return { failure: { message: outcome.failure.message, handler: outcome.failure.handler, block: block.ptr } };
      }
      this.state.apply(outcome.changes);
      for (const change of outcome.changes) changes.set(`${change.entityType}\u0000${change.id}`, change);
      if (outcome.createdDataSources.length === 0) break;
      created.push(...outcome.createdDataSources);
      this.dynamicDataSources.push(...outcome.createdDataSources);
      runtime.setDynamicDataSources(this.dynamicDataSources);
      const rescan = await source.logs(block.ptr.number, block.ptr.number, {
        addresses: outcome.createdDataSources.map((ds) => ds.address),
        topic0: runtime.logFilter().topic0,
      });
      if (rescan.logs.length === 0) break;
      const receipts = runtime.needsReceipts
        ? new Map([
            ...block.receipts,
            ...(await source.receipts(rescan.logs.map((log) => log.transactionHash as string))),
          ])
        : block.receipts;
      current = { ...block, logs: rescan.logs, receipts };
    }
    return { changes: { block: block.ptr, changes: [...changes.values()] }, created };
  }

  /**
   * Starts the range's transaction (blocks, created data sources, head) once the previous one has
   * committed, and returns: the next range's handlers run while it commits. Its failure is thrown
   * by the next committed().
   */
  private async write(pending: BlockChanges[], created: DynamicDataSource[], head: BlockPtr): Promise<void> {
    await this.committed();
    const { store, metrics } = this.options;
    const started = performance.now();
    const events = this.events;
    const entities = this.state.size;
    const write: Write = { done: Promise.resolve(), settled: false };
    write.done = (async () => {
      try {
        await store.transact(pending, created, head);
        for (const block of pending) this.changesSinceAnalyze += block.changes.length;
        if (this.changesSinceAnalyze >= ANALYZE_EVERY_CHANGES) await this.analyze();
      } finally {
        write.settled = true;
      }
      this.cursor = head;
      this.committedEntities = entities;
      this.recentRecord(pending.map((p) => p.block).concat(head));
      metrics?.storeWriteSeconds.observe(this.labels, (performance.now() - started) / 1000);
      this.recordProgress(events);
    })();
    // Observed by committed(); until then a failure must not count as unhandled.
    write.done.catch(() => undefined);
    this.writing = write;
    this.tip = head;
  }

  /** Waits for the write in flight, if any, to commit; throws its failure. */
  private async committed(): Promise<void> {
    const write = this.writing;
    if (!write) return;
    this.writing = null;
    const started = performance.now();
    try {
      await write.done;
    } finally {
      this.options.metrics?.storeWaitSeconds.observe(this.labels, (performance.now() - started) / 1000);
    }
  }

  /** A deterministic handler failure: the blocks before it are written, then the failure. */
  private async failAt(fatal: FatalError, pending: BlockChanges[], created: DynamicDataSource[]): Promise<void> {
    const { store, metrics } = this.options;
    // Recorded only once everything before it is committed: a failed write is retried instead.
    await this.committed();
    this.fatal = fatal;
    const started = performance.now();
    if (pending.length > 0) {
      const last = (pending.at(-1) as BlockChanges).block;
      await store.transact(pending, created, last);
    }
    await store.fail(fatal);
    const healthy = pending.at(-1)?.block ?? this.cursor;
    this.lastHealthy = healthy && { number: healthy.number, hash: healthy.hash };
    this.cursor = fatal.block;
    this.tip = fatal.block;
    this.committedEntities = this.state.size;
    metrics?.failed.set(this.labels, 1);
    this.options.log?.(
      `${this.options.name}: failed at block ${fatal.block.number} in ${fatal.handler ?? 'a handler'}: ${fatal.message}`,
    );
    metrics?.storeWriteSeconds.observe(this.labels, (performance.now() - started) / 1000);
    this.recordProgress(this.events);
  }

  private recordProgress(events: number): void {
    if (!this.cursor) return;
    this.options.metrics?.latestBlock.set(this.labels, this.cursor.number);
    this.progress.record({
      block: this.cursor.number,
      chainHead: Math.max(this.chainHead?.number ?? 0, this.cursor.number),
      startBlock: this.options.runtime.startBlock,
      events,
      at: Date.now(),
    });
  }

  /**
   * The first time this process reaches the head (also when the deployment was synced already
   * before a restart) or stops on a deterministic failure: graph-node creates them when a
   * deployment gets close to the head (core/src/subgraph/runner/mod.rs, `close_to_chain_head`,
   * within GRAPH_POSTPONE_INDEXES_CREATION_THRESHOLD blocks); here at the head itself, so a
   * catch-up writes without them to its end.
   */
  private async createPostponedIndexes(): Promise<void> {
    if (this.postponedIndexesCreated) return;
    const began = performance.now();
    const created = (await this.options.store.createPostponedIndexes?.()) ?? 0;
    this.postponedIndexesCreated = true;
    if (created > 0) {
      const seconds = ((performance.now() - began) / 1_000).toFixed(1);
      this.options.log?.(`${this.options.name}: created ${created} postponed indexes in ${seconds} s`);
    }
  }

  /** Planner statistics once caught up and after every many writes: queries plan on real sizes. */
  private async analyze(): Promise<void> {
    this.changesSinceAnalyze = 0;
    await this.options.store.analyze?.();
  }

  private recentRecord(blocks: BlockPtr[]): void {
    const horizon = (this.chainHead?.number ?? 0) - this.options.finalityDepth;
    for (const block of blocks) if (block.number >= horizon) this.recent.record(block);
  }

  private async revert(from: BlockPtr): Promise<void> {
    const { source, store, runtime } = this.options;
    const floor = Math.max(0, runtime.startBlock - 1);
    const ancestor = await findCommonAncestor(source, this.recent, from.number - 1, floor);
    const ptr = blockPtr(await source.block(ancestor));
    this.options.log?.(`${this.options.name}: reorg detected at block ${from.number}; reverting to block ${ancestor}`);
    await store.revertTo(ptr);
    this.recent.forgetAfter(ancestor);
    this.reloadNeeded = true;
  }
}

const BLOCKS_PER_FETCH = 200;
/** Entity changes per write within a range (see processRange). */
const WRITE_BATCH_CHANGES = 20_000;
const ANALYZE_EVERY_CHANGES = 200_000;

export function blockPtr(raw: RpcBlock): BlockPtr {
  return {
    number: Number(raw.number),
    hash: (raw.hash ?? '0x').toLowerCase(),
    parentHash: raw.parentHash.toLowerCase(),
    timestamp: Number(raw.timestamp),
  };
}

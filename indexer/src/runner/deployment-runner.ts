// Indexes one deployment: streams block ranges from the chain, runs the subgraph per block against
// the in-memory entity state, writes each range's blocks with the new cursor in one store
// transaction, follows the head once synced, reverts on reorgs, and stops — still serving — on a
// deterministic handler error.
import type { RpcBlock, RpcLog, RpcTransactionReceipt } from 'viem';
import type { ChainSource, LogBatch } from '../chain/chain-source.js';
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

export class DeploymentRunner {
  private state = new EntityState();
  private cursor: BlockPtr | null = null;
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
      } catch (error) {
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
      entityCount: BigInt(this.state.size),
      paused: false,
    };
  }

  /** The problem the runner is retrying right now, if any (for the terminal). */
  get problem(): string | null {
    return this.lastProblem;
  }

  private async reload(): Promise<void> {
    const { store, runtime } = this.options;
    this.fatal = await store.fatalError();
    this.cursor = await store.head();
    this.state = EntityState.from(await store.currentEntities());
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
    const cursorNumber = this.cursor?.number ?? runtime.startBlock - 1;
    if (this.cursor && headNumber - this.cursor.number <= finalityDepth && !(await isCanonical(source, this.cursor))) {
      await this.revert(this.cursor);
      return false;
    }
    if (stopAtBlock !== undefined && cursorNumber >= stopAtBlock) return true;
    const next = cursorNumber + 1;
    if (next > headNumber) {
      if (!this.synced) {
        await this.createPostponedIndexes();
        if (this.changesSinceAnalyze > 0) await this.analyze();
      }
      this.synced = true;
      await sleep(this.options.pollIntervalMs, this.stopping.signal);
      return false;
    }
    this.synced = false;
    // Every block is fetched when block handlers need them: keep such ranges (one transaction) small.
    const maxRange = this.options.maxRangeBlocks ?? (runtime.needsEveryBlock ? 1_000 : 100_000);
    const maxTo = Math.min(headNumber, stopAtBlock ?? Number.POSITIVE_INFINITY, next + maxRange - 1);
    const batch = await source.logs(next, maxTo, runtime.logFilter());
    await this.processRange(batch);
    return false;
  }

  private async processRange(batch: LogBatch): Promise<void> {
    const { source, runtime, metrics } = this.options;
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
    const triggerBlocks = runtime.needsEveryBlock
      ? Array.from({ length: batch.toBlock - batch.fromBlock + 1 }, (_, i) => batch.fromBlock + i)
      : [...logsByBlock.keys()].sort((a, b) => a - b);

    const pending: BlockChanges[] = [];
    const created: DynamicDataSource[] = [];
    let end = batch.toBlock;
    let endPtr: BlockPtr | null = null;
    const fetchBatch = async (start: number) => {
      const numbers = triggerBlocks.slice(start, start + BLOCKS_PER_FETCH);
      const blocks = await source.blocks(numbers, true);
      const receipts = runtime.needsReceipts
        ? await source.receipts(
            numbers.flatMap((n) => (logsByBlock.get(n) ?? []).map((log) => log.transactionHash as string)),
          )
        : new Map<string, RpcTransactionReceipt>();
      return { numbers, blocks, receipts };
    };
    // The next batch of blocks is fetched while this one's handlers run: the node works on the
    // other core meanwhile. A batch left unused (the range ended early) is dropped.
    let nextBatch: ReturnType<typeof fetchBatch> | null = triggerBlocks.length > 0 ? fetchBatch(0) : null;
    for (let i = 0; nextBatch !== null; i += BLOCKS_PER_FETCH) {
      const { numbers, blocks, receipts } = await nextBatch;
      nextBatch = i + BLOCKS_PER_FETCH < triggerBlocks.length ? fetchBatch(i + BLOCKS_PER_FETCH) : null;
      nextBatch?.catch(() => {});
      for (const n of numbers) {
        const raw = blocks.get(n) as RpcBlock;
        const logs = logsByBlock.get(n) ?? [];
        if (logs.some((log) => log.blockHash?.toLowerCase() !== raw.hash?.toLowerCase())) throw new ChainMovedError();
        const chainBlock: ChainBlock = { ptr: blockPtr(raw), raw, logs, receipts };
        const outcome = await this.runBlock(chainBlock);
        if (outcome === 'failed') {
          await this.flush(pending, created, null);
          return;
        }
        pending.push(outcome.changes);
        created.push(...outcome.created);
        if (outcome.created.length > 0) {
          // Later blocks of this range need logs from the new addresses: end the range here.
          end = n;
          endPtr = chainBlock.ptr;
          break;
        }
      }
      if (endPtr) break;
    }
    endPtr ??=
      pending.at(-1)?.block.number === end ? (pending.at(-1) as BlockChanges).block : blockPtr(await source.block(end));
    await this.flush(pending, created, endPtr);
    metrics?.blocksProcessed.inc(this.labels, end - batch.fromBlock + 1);
  }

  /**
   * Runs one block's triggers; when handlers create data sources, the same block is scanned again
   * for logs of the new addresses only (graph-node's breadth-first rescan).
   */
  private async runBlock(
    block: ChainBlock,
  ): Promise<{ changes: BlockChanges; created: DynamicDataSource[] } | 'failed'> {
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
        this.fatal = { message: outcome.failure.message, handler: outcome.failure.handler, block: block.ptr };
        return 'failed';
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

  private async flush(pending: BlockChanges[], created: DynamicDataSource[], head: BlockPtr | null): Promise<void> {
    const { store, metrics } = this.options;
    const started = performance.now();
    if (head) {
      await store.transact(pending, created, head);
      for (const block of pending) this.changesSinceAnalyze += block.changes.length;
      if (this.changesSinceAnalyze >= ANALYZE_EVERY_CHANGES) await this.analyze();
      this.cursor = head;
      this.recentRecord(pending.map((p) => p.block).concat(head));
    } else if (this.fatal) {
      if (pending.length > 0) {
        const last = (pending.at(-1) as BlockChanges).block;
        await store.transact(pending, created, last);
      }
      await store.fail(this.fatal);
      const healthy = pending.at(-1)?.block ?? this.cursor;
      this.lastHealthy = healthy && { number: healthy.number, hash: healthy.hash };
      this.cursor = this.fatal.block;
      metrics?.failed.set(this.labels, 1);
      this.options.log?.(
        `${this.options.name}: failed at block ${this.fatal.block.number} in ${this.fatal.handler ?? 'a handler'}: ${this.fatal.message}`,
      );
    }
    metrics?.storeWriteSeconds.observe(this.labels, (performance.now() - started) / 1000);
    if (this.cursor) {
      metrics?.latestBlock.set(this.labels, this.cursor.number);
      this.progress.record({
        block: this.cursor.number,
        chainHead: Math.max(this.chainHead?.number ?? 0, this.cursor.number),
        startBlock: this.options.runtime.startBlock,
        events: this.events,
        at: Date.now(),
      });
    }
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
      this.options.log?.(`${this.options.name}: created ${created} postponed attribute indexes in ${seconds} s`);
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
const ANALYZE_EVERY_CHANGES = 200_000;

export function blockPtr(raw: RpcBlock): BlockPtr {
  return {
    number: Number(raw.number),
    hash: (raw.hash ?? '0x').toLowerCase(),
    parentHash: raw.parentHash.toLowerCase(),
    timestamp: Number(raw.timestamp),
  };
}

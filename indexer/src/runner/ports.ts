// What the runner needs from the parts it joins. The WASM host and the store implement these
// through the adapters in this folder; keeping them narrow keeps the runner's loop readable.
import type { RpcBlock, RpcLog, RpcTransactionReceipt } from 'viem';
import type { LogFilter } from '../chain/chain-source.js';
import type { BlockPtr, Entity, EntityChange, EntityId } from '../schema/value.js';

/** A block and what its triggers need, as fetched from the chain. */
export interface ChainBlock {
  ptr: BlockPtr;
  raw: RpcBlock;
  /** This block's logs that match the deployment's filter, by log index. */
  logs: RpcLog[];
  /** Receipts by transaction hash, when a handler asked for `receipt: true`. */
  receipts: Map<string, RpcTransactionReceipt>;
}

export interface DynamicDataSource {
  template: string;
  /** Lower-case 0x-hex. */
  address: string;
  /** Serialised DataSourceContext, or null. */
  context: unknown;
  startBlock: number;
}

export interface HandlerFailure {
  message: string;
  handler: string | null;
}

export interface BlockOutcome {
  /** Net change per entity for the block. */
  changes: EntityChange[];
  createdDataSources: DynamicDataSource[];
  /** Set on a deterministic handler error: `changes` are then discarded. */
  failure: HandlerFailure | null;
  /** Triggers (events, block handlers) run: for the events/s figures. */
  triggers: number;
}

/** Synchronous reads of the entity state at the start of a block (see entity-state.ts). */
export interface EntityReader {
  get(entityType: string, id: EntityId): Entity | null;
  all(entityType: string): Iterable<Entity>;
}

/** A built subgraph: its data sources and handlers, run by the WASM host. */
export interface SubgraphRuntime {
  /** The manifest's network name. */
  network: string;
  /** The lowest startBlock of the manifest's data sources. */
  startBlock: number;
  /** Block handlers without filters run on every block: every block must then be fetched. */
  needsEveryBlock: boolean;
  needsReceipts: boolean;
  /** Addresses and topics of every data source active now (templates created so far included). */
  logFilter(): LogFilter;
  /** Replaces the dynamic data sources (at start-up and after a revert). */
  setDynamicDataSources(dataSources: DynamicDataSource[]): void;
  processBlock(block: ChainBlock, state: EntityReader): Promise<BlockOutcome>;
}

export interface StoredEntity {
  entityType: string;
  id: EntityId;
  data: Entity;
}

export interface BlockChanges {
  block: BlockPtr;
  changes: EntityChange[];
}

export interface FatalError {
  message: string;
  block: BlockPtr;
  handler: string | null;
}

/** One deployment's data in the versioned store. */
export interface DeploymentStore {
  head(): Promise<BlockPtr | null>;
  /** Every current (latest-version) entity: fills the in-memory state. */
  currentEntities(): Promise<StoredEntity[]>;
  dynamicDataSources(): Promise<DynamicDataSource[]>;
  /** Blocks, created data sources and the new head in ONE database transaction. */
  transact(blocks: BlockChanges[], dataSources: DynamicDataSource[], head: BlockPtr): Promise<void>;
  /** Reorg: drop everything after `block` (entity versions, data sources, errors); head = block. */
  revertTo(block: BlockPtr): Promise<void>;
  /** Deterministic failure: the head moves to the failing block, health becomes failed. */
  fail(error: FatalError): Promise<void>;
  fatalError(): Promise<FatalError | null>;
  /** Refreshes query-planner statistics after many writes (embedded PGlite has no autovacuum). */
  analyze?(): Promise<void>;
  /**
   * Creates the indexes the store left out while the deployment caught up (only queries use
   * them); idempotent. Returns how many it created.
   */
  createPostponedIndexes?(): Promise<number>;
  close(): Promise<void>;
}

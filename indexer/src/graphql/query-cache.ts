// graph-node's query result cache for recent blocks (graphql/src/execution/cache.rs
// `QueryBlockCache`, used by graphql/src/execution/execution.rs `execute_root_selection_set`;
// settings from graph/src/env/graphql.rs): successful results are kept per block for the newest
// GRAPH_QUERY_CACHE_BLOCKS blocks (default 2; 0 turns the cache off) within
// GRAPH_QUERY_CACHE_MAX_MEM (MB, default 1000) split over the blocks. A result larger than one
// shard's share (GRAPH_QUERY_BLOCK_CACHE_SHARDS, 128) divided by GRAPH_QUERY_CACHE_MAX_ENTRY_RATIO
// (3) is not kept, results with errors never are, and a block older than the newest cached one
// starts no cache. When the head moves, queries at the new head miss and the oldest block is
// dropped. Identical queries running at the same time share one execution (graph-node's herd
// cache). graph-node's second-level LFU cache for historical blocks is not reproduced.
export interface QueryCacheSettings {
  blocks: number;
  maxMemBytes: number;
  shards: number;
  maxEntryRatio: number;
  /** GRAPH_CACHED_SUBGRAPH_IDS: `*` (default) or the deployment ids whose queries are cached. */
  cachedSubgraphIds: '*' | string[];
}

/** A block as the cache tells blocks apart: number, hash, and whether the deployment had failed. */
export interface CacheBlock {
  number: number;
  identity: string;
}

interface CacheByBlock {
  block: CacheBlock;
  weight: number;
  results: Map<string, string>;
}

export class QueryResultCache {
  private readonly byDeployment = new Map<string, CacheByBlock[]>();
  private readonly running = new Map<string, Promise<unknown>>();
  private readonly maxBlockWeight: number;
  private readonly maxEntryWeight: number;

  constructor(private readonly settings: QueryCacheSettings) {
    this.maxBlockWeight = settings.blocks === 0 ? 0 : settings.maxMemBytes / settings.blocks;
    const shardWeight = settings.blocks === 0 ? 0 : this.maxBlockWeight / settings.shards;
    this.maxEntryWeight =
      settings.maxEntryRatio === 0 ? Number.POSITIVE_INFINITY : shardWeight / settings.maxEntryRatio;
  }

  caches(deployment: string): boolean {
    const ids = this.settings.cachedSubgraphIds;
    return this.settings.blocks > 0 && (ids === '*' || ids.includes(deployment));
  }

  get(deployment: string, block: CacheBlock, key: string): string | undefined {
    return this.byDeployment
      .get(deployment)
      ?.find((c) => c.block.identity === block.identity)
      ?.results.get(key);
  }

  /** Keeps a successful response body; false if it does not belong in (or fit) the cache. */
  insert(deployment: string, block: CacheBlock, key: string, body: string): boolean {
    if (!this.caches(deployment) || body.length > this.maxEntryWeight) return false;
    let blocks = this.byDeployment.get(deployment);
    if (!blocks) {
      blocks = [];
      this.byDeployment.set(deployment, blocks);
    }
    let cache = blocks.find((c) => c.block.identity === block.identity);
    if (!cache) {
      const newest = blocks[0];
      if (newest && newest.block.number > block.number) return false;
      if (blocks.length >= this.settings.blocks) blocks.pop();
      cache = { block, weight: 0, results: new Map() };
      blocks.unshift(cache);
    }
    if (cache.weight + body.length > this.maxBlockWeight) return false;
    cache.weight += body.length;
    cache.results.set(key, body);
    return true;
  }

  /** Runs `run` once for concurrent callers with the same key; `shared` tells who waited. */
  async once<T>(key: string, run: () => Promise<T>): Promise<{ value: T; shared: boolean }> {
    const pending = this.running.get(key) as Promise<T> | undefined;
    if (pending) return { value: await pending, shared: true };
    const promise = run().finally(() => this.running.delete(key));
    this.running.set(key, promise);
    return { value: await promise, shared: false };
  }
}

// graph-node's GraphQL environment variables and their defaults (graph/src/env/graphql.rs).
// Numbers may contain `_` as graph-node's NoUnderscores allows; a value that is not a
// non-negative integer is refused with the variable's name.
import type { QueryLimits } from './api-schema.js';
import type { QueryCacheSettings } from './query-cache.js';

export interface GraphqlLimits extends QueryLimits {
  maxDepth: number;
  /** GRAPH_GRAPHQL_MAX_COMPLEXITY; undefined (the default) checks no complexity. */
  maxComplexity: number | undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const text = env[name]?.replaceAll('_', '');
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, but is "${env[name]}"`);
  }
  return value;
}

export function graphqlLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): GraphqlLimits {
  return {
    maxFirst: integer(env, 'GRAPH_GRAPHQL_MAX_FIRST') ?? 1000,
    maxSkip: integer(env, 'GRAPH_GRAPHQL_MAX_SKIP') ?? 4_294_967_295,
    maxDepth: integer(env, 'GRAPH_GRAPHQL_MAX_DEPTH') ?? 255,
    maxComplexity: integer(env, 'GRAPH_GRAPHQL_MAX_COMPLEXITY'),
  };
}

export function queryCacheSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): QueryCacheSettings {
  const ids = env.GRAPH_CACHED_SUBGRAPH_IDS ?? '*';
  return {
    blocks: integer(env, 'GRAPH_QUERY_CACHE_BLOCKS') ?? 2,
    maxMemBytes: (integer(env, 'GRAPH_QUERY_CACHE_MAX_MEM') ?? 1000) * 1000 * 1000,
    shards: Math.max(1, integer(env, 'GRAPH_QUERY_BLOCK_CACHE_SHARDS') ?? 128),
    maxEntryRatio: integer(env, 'GRAPH_QUERY_CACHE_MAX_ENTRY_RATIO') ?? 3,
    cachedSubgraphIds: ids === '*' ? '*' : ids.split(','),
  };
}

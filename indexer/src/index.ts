// The indexer's public API for other packages (tests, benchmarks, scripts).

export { ChainSource, type LogBatch, type LogFilter } from './chain/chain-source.js';
export { RpcClient, type RpcClientOptions, RpcError } from './chain/rpc-client.js';
export { type DeploymentConfig, type IndexerConfig, resolveConfig, UsageError } from './cli/config.js';
export { main } from './cli/main.js';
export { IndexerMetrics } from './metrics/indexer-metrics.js';
export { DeploymentRunner, type DeploymentRunnerOptions } from './runner/deployment-runner.js';
export { type IndexerParts, type OpenedDeployment, type RunningIndexer, startIndexer } from './runner/indexer.js';
export type * from './runner/ports.js';
export type { BlockPtr, Entity, EntityChange, EntityId, Value } from './schema/value.js';
export type { DeploymentStatus, Health } from './status/schema.js';

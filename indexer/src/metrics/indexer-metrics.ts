// The indexer's series. Rates (blocks/s, events/s) are counters, as Prometheus expects:
// `rate(indexer_blocks_processed_total[1m])`.
import { Counter, Gauge, Histogram, Registry } from './registry.js';

export class IndexerMetrics {
  readonly registry = new Registry();
  readonly blocksProcessed = this.registry.register(
    new Counter('indexer_blocks_processed_total', 'Blocks indexed (scanned ranges included), per deployment'),
  );
  readonly eventsProcessed = this.registry.register(
    new Counter('indexer_events_processed_total', 'Triggers run through handlers, per deployment'),
  );
  readonly handlerSeconds = this.registry.register(
    new Histogram('indexer_block_handlers_seconds', 'Time spent running all handlers of one block'),
  );
  readonly rpcRequests = this.registry.register(
    new Counter('indexer_rpc_requests_total', 'JSON-RPC requests, per deployment and method'),
  );
  readonly rpcErrors = this.registry.register(
    new Counter('indexer_rpc_errors_total', 'Failed JSON-RPC requests (retried or not), per deployment and method'),
  );
  readonly rpcSeconds = this.registry.register(
    new Histogram('indexer_rpc_request_seconds', 'JSON-RPC request latency, per method'),
  );
  readonly storeWriteSeconds = this.registry.register(
    new Histogram('indexer_store_write_seconds', 'Time of one store transaction (a batch of blocks)'),
  );
  readonly storeWaitSeconds = this.registry.register(
    new Histogram(
      'indexer_store_wait_seconds',
      'Time the runner waited for a store transaction to commit (the part of it not overlapped with handlers)',
    ),
  );
  readonly queryLatency = this.registry.register(
    new Histogram('indexer_graphql_query_seconds', 'GraphQL query latency, per subgraph'),
  );
  readonly latestBlock = this.registry.register(
    new Gauge('indexer_latest_block', 'Last block indexed, per deployment'),
  );
  readonly chainHead = this.registry.register(new Gauge('indexer_chain_head_block', 'Chain head, per deployment'));
  readonly failed = this.registry.register(
    new Gauge('indexer_deployment_failed', '1 when the deployment stopped on a deterministic error'),
  );

  /**
   * An RpcClient `onRequest` for one deployment's requests: the runner's (blocks, logs) and the
   * WASM host's (ethereum.call & co.) are counted in the same series, told apart by `method`.
   */
  rpcObserver(deployment: string): (method: string, seconds: number, failed: boolean) => void {
    return (method, seconds, failed) => {
      this.rpcRequests.inc({ deployment, method });
      if (failed) this.rpcErrors.inc({ deployment, method });
      this.rpcSeconds.observe({ method }, seconds);
    };
  }
}

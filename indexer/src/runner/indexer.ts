// The process: every configured deployment's runner, plus the status and metrics servers (and the
// GraphQL server the store part provides), with a progress line while catching up.
import type { Server } from 'node:http';
import { ChainSource } from '../chain/chain-source.js';
import { RpcClient } from '../chain/rpc-client.js';
import type { DeploymentConfig, IndexerConfig } from '../cli/config.js';
import { IndexerMetrics } from '../metrics/indexer-metrics.js';
import { serveMetrics } from '../metrics/server.js';
import { serveStatus } from '../status/server.js';
import { DeploymentRunner } from './deployment-runner.js';
import type { DeploymentStore, SubgraphRuntime } from './ports.js';

/** What one deployment is made of, opened by the WASM host and store parts. */
export interface OpenedDeployment {
  deployment: string;
  runtime: SubgraphRuntime;
  store: DeploymentStore;
}

export interface IndexerParts {
  /** `metrics` counts the requests the WASM host makes (rpcObserver of the deployment). */
  openDeployment(config: DeploymentConfig, indexer: IndexerConfig, metrics: IndexerMetrics): Promise<OpenedDeployment>;
  /** Drops the deployment's data (`indexer reset`). */
  resetDeployment(config: DeploymentConfig, indexer: IndexerConfig): Promise<void>;
  /** Serves GraphQL for the opened deployments; returns the server to close. */
  serveGraphql?(
    deployments: Array<{ name: string; opened: OpenedDeployment }>,
    config: IndexerConfig,
    metrics: IndexerMetrics,
  ): Promise<Server>;
}

export interface RunningIndexer {
  runners: DeploymentRunner[];
  metrics: IndexerMetrics;
  /** Resolves when every runner has stopped (stop(), failure, or stopAtBlock). */
  done: Promise<void>;
  stop(): Promise<void>;
}

export async function startIndexer(
  config: IndexerConfig,
  parts: IndexerParts,
  io: { log: (line: string) => void; progress?: (line: string) => void } = { log: console.error },
): Promise<RunningIndexer> {
  const metrics = new IndexerMetrics();
  const opened: Array<{ name: string; config: DeploymentConfig; opened: OpenedDeployment }> = [];
  const servers: Server[] = [];
  const closeAll = async () => {
    await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    await Promise.all(opened.map(({ opened }) => opened.store.close()));
  };
  try {
    for (const deployment of config.deployments) {
      opened.push({
        name: deployment.name,
        config: deployment,
        opened: await parts.openDeployment(deployment, config, metrics),
      });
    }
    const runners = opened.map(({ name, config: deployment, opened: parts }) => {
      const rpc = new RpcClient({
        url: deployment.rpc,
        onStatus: (message) => {
          if (message) io.log(`${name}: ${message}`);
        },
        onRequest: metrics.rpcObserver(parts.deployment),
      });
      return new DeploymentRunner({
        name,
        deployment: parts.deployment,
        source: new ChainSource(rpc),
        runtime: parts.runtime,
        store: parts.store,
        finalityDepth: deployment.finalityDepth,
        pollIntervalMs: deployment.pollIntervalMs,
        ...(deployment.maxRangeBlocks === undefined ? {} : { maxRangeBlocks: deployment.maxRangeBlocks }),
        metrics,
        log: io.log,
      });
    });
    const statuses = () => runners.map((runner) => runner.status());
    servers.push(await serveStatus(statuses, config.statusPort, config.host));
    servers.push(await serveMetrics(metrics.registry, config.metricsPort, config.host));
    if (parts.serveGraphql) servers.push(await parts.serveGraphql(opened, config, metrics));

    const ticker = io.progress
      ? setInterval(() => {
          for (const runner of runners) {
            const status = runner.status();
            if (status.synced) continue;
            const line = runner.progress.line(status.subgraphName);
            if (line) io.progress?.(line);
          }
        }, 2_000)
      : null;
    const done = Promise.all(runners.map((runner) => runner.run())).then(() => undefined);
    let stopping: Promise<void> | null = null;
    return {
      runners,
      metrics,
      done,
      stop: () => {
        stopping ??= (async () => {
          for (const runner of runners) runner.stop();
          await done;
          if (ticker) clearInterval(ticker);
          await closeAll();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

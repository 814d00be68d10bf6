// Joins the runner to the WASM host (src/wasm) and the versioned store and its GraphQL API
// (src/store, src/graphql).
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RpcEthereumChain } from '../chain/ethereum-chain.js';
import type { DeploymentConfig, IndexerConfig } from '../cli/config.js';
import { createGraphQLServer } from '../graphql/server.js';
import { DeploymentStore } from '../store/deployment-store.js';
import { openSqlClient, type SqlClient } from '../store/sql-client.js';
import { SubgraphRuntime } from '../wasm/subgraph-runtime.js';
import { deploymentId } from './deployment-id.js';
import type { IndexerParts } from './indexer.js';

export class DeploymentSetupError extends Error {}

/** Loads the built subgraph, checking it is for the configured network. */
export function loadRuntime(config: DeploymentConfig): SubgraphRuntime {
  let runtime: SubgraphRuntime;
  try {
    runtime = SubgraphRuntime.load(config.manifest);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new DeploymentSetupError(`${config.name}: cannot load ${config.manifest}: ${message}`);
  }
  if (config.network && runtime.network !== config.network) {
    throw new DeploymentSetupError(
      `${config.name}: the subgraph is built for network "${runtime.network}", not "${config.network}"; run \`graph build --network ${config.network}\``,
    );
  }
  return runtime;
}

/** One SQL client per data directory or Postgres URL, shared by the deployments of a process. */
const clients = new Map<string, { client: Promise<SqlClient>; users: number }>();

async function acquireClient(indexer: IndexerConfig): Promise<{ client: SqlClient; release: () => Promise<void> }> {
  const key = indexer.postgresUrl ?? `pglite:${indexer.dataDir}`;
  let entry = clients.get(key);
  if (!entry) {
    entry = {
      client: openSqlClient(indexer.postgresUrl ? { postgresUrl: indexer.postgresUrl } : { dataDir: indexer.dataDir }),
      users: 0,
    };
    clients.set(key, entry);
  }
  entry.users += 1;
  let client: SqlClient;
  try {
    client = await entry.client;
  } catch (error) {
    clients.delete(key);
    throw new DeploymentSetupError((error as Error).message.split('\n')[0] ?? String(error));
  }
  const shared = entry;
  return {
    client,
    release: async () => {
      shared.users -= 1;
      if (shared.users === 0) {
        clients.delete(key);
        await client.close();
      }
    },
  };
}

async function openStore(config: DeploymentConfig, indexer: IndexerConfig, runtime: SubgraphRuntime) {
  const deployment = deploymentId(config.manifest);
  const { client, release } = await acquireClient(indexer);
  // The same build indexed from two chains (one deployment per network) must not share tables:
  // the store's namespace is keyed by the deployment and the name it is served under.
  const namespaceKey = createHash('sha256').update(`${deployment}\0${config.name}`).digest('hex').slice(0, 20);
  const store = await DeploymentStore.open(client, namespaceKey, runtime.schema, false);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await release();
  };
  return { deployment, store };
}

export const defaultParts: IndexerParts = {
  async openDeployment(config, indexer, metrics) {
    const runtime = loadRuntime(config);
    const { deployment, store } = await openStore(config, indexer, runtime);
    // ethereum.call & co. read the deployment's own node; its worker starts on the first call.
    const chain = new RpcEthereumChain(config.rpc, { onRequest: metrics.rpcObserver(deployment) });
    runtime.chain = chain;
    const close = store.close.bind(store);
    store.close = async () => {
      chain.close();
      await close();
    };
    return { deployment, runtime, store };
  },
  async resetDeployment(config, indexer) {
    const runtime = loadRuntime(config);
    const { store } = await openStore(config, indexer, runtime);
    try {
      await store.drop();
    } finally {
      await store.close();
    }
  },
  async serveGraphql(deployments, config, metrics) {
    const server = await createGraphQLServer(
      deployments.map(({ name, opened }) => ({
        name,
        deployment: opened.deployment,
        store: opened.store as DeploymentStore,
      })),
      { host: config.host, port: config.port },
    );
    // Query latency per subgraph path, measured around the GraphQL server's own handler.
    server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
      const path = request.url?.split('?')[0] ?? '';
      if (request.method !== 'POST' || !path.startsWith('/subgraphs/')) return;
      const started = performance.now();
      response.once('finish', () => {
        metrics.queryLatency.observe(
          { subgraph: path.slice('/subgraphs/'.length) },
          (performance.now() - started) / 1000,
        );
      });
    });
    return server;
  },
};

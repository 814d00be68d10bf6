import { flags } from './config.js';

const runFlags = Object.entries(flags)
  .map(([name, spec]) => {
    const left = `  --${name}${spec.type === 'string' ? ' <value>' : ''}`;
    const env = spec.env ? ` [env ${spec.env}]` : '';
    return `${left.padEnd(30)}${spec.help}${env}`;
  })
  .join('\n');

export const helpText = `indexer — runs a built subgraph against a JSON-RPC chain and serves graph-node's APIs

Usage:
  indexer run --subgraph <dir|subgraph.yaml> --rpc <url> [options]
  indexer run --config <deployments.yaml> [options]
  indexer reset --subgraph <dir|subgraph.yaml> [--name <name>] [--data <dir> | --postgres-url <url>]
  indexer reset --config <deployments.yaml> [--name <name>]
  indexer --help

Commands:
  run     index every configured deployment, follow the chain head, serve
          GraphQL     http://<host>:<port>/subgraphs/name/<name>
          status      http://<host>:<status-port>/graphql  (indexingStatuses …)
          metrics     http://<host>:<metrics-port>/metrics (Prometheus)
  reset   drop a deployment's indexed data (entities, cursor, errors) so the next run starts over

Options (a flag beats its environment variable, which beats the config file):
${runFlags}

Config file (YAML or JSON), for several deployments in one process, e.g. one per network:
  data: ./.indexer-data
  deployments:
    - { name: loans-local, subgraph: ../subgraph, rpc: "http://127.0.0.1:8545", network: localhost }
    - { name: loans-l2, subgraph: ../subgraph, rpc: "https://rpc.example", network: arbitrum-one, finalityDepth: 64 }
`;

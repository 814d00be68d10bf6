// graph-node's index-node status API (server/index-node/src/schema.graphql), the part that
// dashboards and scripts read: indexingStatuses, indexingStatusForCurrentVersion,
// indexingStatusesForSubgraphName.
import { buildSchema, type GraphQLSchema } from 'graphql';

export type Health = 'healthy' | 'unhealthy' | 'failed';

export interface BlockRef {
  number: number;
  hash: string;
}

export interface IndexingError {
  message: string;
  block: BlockRef | null;
  handler: string | null;
  deterministic: boolean;
}

/** One deployment's state as the runner reports it. */
export interface DeploymentStatus {
  subgraphName: string;
  deployment: string;
  network: string;
  synced: boolean;
  health: Health;
  fatalError: IndexingError | null;
  nonFatalErrors: IndexingError[];
  chainHeadBlock: BlockRef | null;
  earliestBlock: BlockRef | null;
  latestBlock: BlockRef | null;
  lastHealthyBlock: BlockRef | null;
  entityCount: bigint;
  paused: boolean;
}

export const statusSdl = /* GraphQL */ `
  scalar BigInt
  scalar Bytes

  enum Health {
    "Subgraph syncing normally"
    healthy
    "Subgraph syncing but with errors"
    unhealthy
    "Subgraph halted due to errors"
    failed
  }

  type Query {
    indexingStatusForCurrentVersion(subgraphName: String!): SubgraphIndexingStatus
    indexingStatusForPendingVersion(subgraphName: String!): SubgraphIndexingStatus
    indexingStatusesForSubgraphName(subgraphName: String!): [SubgraphIndexingStatus!]!
    indexingStatuses(subgraphs: [String!]): [SubgraphIndexingStatus!]!
  }

  type SubgraphIndexingStatus {
    subgraph: String!
    synced: Boolean!
    health: Health!
    entityCount: BigInt!
    fatalError: SubgraphError
    nonFatalErrors: [SubgraphError!]!
    chains: [ChainIndexingStatus!]!
    node: String
    paused: Boolean
    historyBlocks: Int!
  }

  interface ChainIndexingStatus {
    network: String!
    chainHeadBlock: Block
    earliestBlock: EarliestBlock
    latestBlock: Block
    lastHealthyBlock: Block
  }

  type EthereumIndexingStatus implements ChainIndexingStatus {
    network: String!
    chainHeadBlock: Block
    earliestBlock: EarliestBlock
    latestBlock: Block
    lastHealthyBlock: Block
  }

  type Block {
    hash: Bytes!
    number: BigInt!
  }

  type EarliestBlock {
    hash: Bytes!
    number: BigInt!
  }

  type SubgraphError {
    message: String!
    block: Block
    handler: String
    deterministic: Boolean!
  }
`;

export function buildStatusSchema(): GraphQLSchema {
  const schema = buildSchema(statusSdl);
  const chainStatus = schema.getType('ChainIndexingStatus');
  if (chainStatus && 'resolveType' in chainStatus) chainStatus.resolveType = () => 'EthereumIndexingStatus';
  return schema;
}

/** The root value answering the Query fields from the deployments' current statuses. */
export function statusRoot(statuses: () => DeploymentStatus[]) {
  const view = (status: DeploymentStatus) => ({
    subgraph: status.deployment,
    synced: status.synced,
    health: status.health,
    entityCount: status.entityCount.toString(),
    fatalError: status.fatalError && errorView(status.fatalError),
    nonFatalErrors: status.nonFatalErrors.map(errorView),
    chains: [
      {
        network: status.network,
        chainHeadBlock: blockView(status.chainHeadBlock),
        earliestBlock: blockView(status.earliestBlock),
        latestBlock: blockView(status.latestBlock),
        lastHealthyBlock: blockView(status.lastHealthyBlock),
      },
    ],
    node: 'default',
    paused: status.paused,
    historyBlocks: 2_147_483_647,
  });
  const byName = (name: string) => statuses().filter((s) => s.subgraphName === name || s.deployment === name);
  return {
    indexingStatusForCurrentVersion: ({ subgraphName }: { subgraphName: string }) => {
      const found = byName(subgraphName)[0];
      return found ? view(found) : null;
    },
    indexingStatusForPendingVersion: () => null,
    indexingStatusesForSubgraphName: ({ subgraphName }: { subgraphName: string }) => byName(subgraphName).map(view),
    indexingStatuses: ({ subgraphs }: { subgraphs?: string[] | null }) =>
      statuses()
        .filter((s) => !subgraphs || subgraphs.includes(s.deployment))
        .map(view),
  };
}

function blockView(block: BlockRef | null) {
  return block && { hash: block.hash, number: String(block.number) };
}

function errorView(error: IndexingError) {
  return {
    message: error.message,
    block: blockView(error.block),
    handler: error.handler,
    deterministic: error.deterministic,
  };
}

import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeploymentStatus } from './schema.js';
import { serveStatus } from './server.js';

const failed: DeploymentStatus = {
  subgraphName: 'btc-rwa-loans',
  deployment: 'QmFailed',
  network: 'localhost',
  synced: false,
  health: 'failed',
  fatalError: {
    message: 'Mapping aborted at src/market.ts, line 10, column 5, with message: boom',
    block: { number: 42, hash: '0xab' },
    handler: 'handleLoanOpened',
    deterministic: true,
  },
  nonFatalErrors: [],
  chainHeadBlock: { number: 100, hash: '0x64' },
  earliestBlock: { number: 0, hash: '0x00' },
  latestBlock: { number: 41, hash: '0x29' },
  lastHealthyBlock: { number: 41, hash: '0x29' },
  entityCount: 12n,
  paused: false,
};
const healthy: DeploymentStatus = {
  ...failed,
  subgraphName: 'other',
  deployment: 'QmOk',
  health: 'healthy',
  fatalError: null,
  synced: true,
};

let server: Server;
let url: string;
beforeAll(async () => {
  server = await serveStatus(() => [failed, healthy], 0);
  const address = server.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function query(source: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: source }),
  });
  return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
}

describe('index-node status API', () => {
  it("answers graph-node's indexingStatusForCurrentVersion shape", async () => {
    const result = await query(`{ indexingStatusForCurrentVersion(subgraphName: "btc-rwa-loans") {
      subgraph synced health entityCount
      fatalError { message handler deterministic block { number hash } }
      chains { network chainHeadBlock { number } latestBlock { number hash } earliestBlock { number } }
    } }`);
    expect(result).toEqual({
      data: {
        indexingStatusForCurrentVersion: {
          subgraph: 'QmFailed',
          synced: false,
          health: 'failed',
          entityCount: '12',
          fatalError: {
            message: 'Mapping aborted at src/market.ts, line 10, column 5, with message: boom',
            handler: 'handleLoanOpened',
            deterministic: true,
            block: { number: '42', hash: '0xab' },
          },
          chains: [
            {
              network: 'localhost',
              chainHeadBlock: { number: '100' },
              latestBlock: { number: '41', hash: '0x29' },
              earliestBlock: { number: '0' },
            },
          ],
        },
      },
    });
  });

  it('lists every deployment, or those asked for, with indexingStatuses', async () => {
    const all = await query('{ indexingStatuses { subgraph health } }');
    expect(all.data?.indexingStatuses).toEqual([
      { subgraph: 'QmFailed', health: 'failed' },
      { subgraph: 'QmOk', health: 'healthy' },
    ]);
    const some = await query('{ indexingStatuses(subgraphs: ["QmOk"]) { subgraph synced } }');
    expect(some.data?.indexingStatuses).toEqual([{ subgraph: 'QmOk', synced: true }]);
    const unknown = await query('{ indexingStatusForCurrentVersion(subgraphName: "nope") { subgraph } }');
    expect(unknown.data?.indexingStatusForCurrentVersion).toBeNull();
  });

  it('reports bad requests as GraphQL errors, not crashes', async () => {
    const invalid = await query('{ indexingStatuses { noSuchField } }');
    expect(invalid.errors).toHaveLength(1);
    const response = await fetch(url, { method: 'POST', body: '{not json' });
    expect(response.status).toBe(400);
  });
});

// GraphQL serving speed on the real schema with 10,000 loans and 100,000 event entities in PGlite:
// the dashboard's queries, one client at a time for latency (p50/p95), then autocannon (in a
// worker thread, so the load generator does not share the server's event loop) with 10
// connections for throughput — with graph-node's query result cache (GRAPH_QUERY_CACHE_BLOCKS=2,
// its default), with the cache while the head advances every second (each new block starts an
// empty cache, as in graph-node), and without the cache (GRAPH_QUERY_CACHE_BLOCKS=0).
// Usage: pnpm --filter indexer bench graphql
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createGraphQLServer } from '../src/graphql/server.js';
import { parseSchema } from '../src/schema/schema.js';
import type { Entity, EntityChange, Value } from '../src/schema/value.js';
import { DeploymentStore } from '../src/store/deployment-store.js';
import { openSqlClient } from '../src/store/sql-client.js';

const LOANS = Number(process.env.BENCH_LOANS ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 100_000);
const schema = parseSchema(readFileSync(join(import.meta.dirname, '../../schema.graphql'), 'utf8'));
const sql = await openSqlClient({});
const store = await DeploymentStore.open(sql, 'QmBench', schema, true);

const bytes = (hex: string): Value => ({
  kind: 'Bytes',
  value: Buffer.from(hex.replace(/^0x/, '').padStart(40, '0'), 'hex'),
});
const big = (n: bigint | number): Value => ({ kind: 'BigInt', value: BigInt(n) });
const int = (n: number): Value => ({ kind: 'Int', value: n });
const str = (s: string): Value => ({ kind: 'String', value: s });
const decimal = (s: string): Value => ({ kind: 'BigDecimal', value: s });
const hex = (n: number, width = 40) => `0x${n.toString(16).padStart(width, '0')}`;
const set = (entityType: string, id: string, fields: Record<string, Value>): EntityChange => ({
  op: 'set',
  entityType,
  id,
  data: new Map(Object.entries(fields)) as Entity,
});

const market = hex(0xaa);
const protocol = hex(0xf0);
const loanId = (i: number) => `${market}${(i + 1).toString(16).padStart(64, '0')}`;
const started = Date.now();
const changes: EntityChange[] = [
  set(
    'Protocol',
    protocol,
    Object.fromEntries(
      [
        'marketCount',
        'loanCount',
        'openLoanCount',
        'repaidLoanCount',
        'priceLiquidationCount',
        'defaultLiquidationCount',
      ]
        .map((k) => [k, int(1)])
        .concat(
          [
            'totalCollateralUSD',
            'totalDebtUSD',
            'totalLenderAssetsUSD',
            'totalReserveUSD',
            'totalBadDebtUSD',
            'cumulativeBorrowedUSD',
            'cumulativeInterestPaidUSD',
            'cumulativeLiquidatedDebtUSD',
          ].map((k) => [k, decimal('123.45')]),
          [
            ['updatedAtBlock', big(1)],
            ['updatedAt', big(1)],
          ],
        ) as Array<[string, Value]>,
    ),
  ),
  set('Account', hex(0xb0), { loanCount: int(LOANS), openLoanCount: int(LOANS), liquidationCount: int(0) }),
];
const marketFields: Record<string, Value> = {
  protocol: bytes(protocol),
  name: str('WBTC/USDC'),
  collateralToken: bytes(hex(1)),
  debtToken: bytes(hex(2)),
  priceFeed: bytes(hex(3)),
  priceFeedDescription: str('BTC / USD'),
  priceFeedDecimals: int(8),
  collateralDecimals: int(8),
  debtDecimals: int(6),
  maxLtvBps: int(6500),
  liquidationLtvBps: int(8000),
  liquidationPenaltyBps: int(500),
  reserveFactorBps: int(1000),
  aprBps: int(900),
  gracePeriod: big(259200),
  latestPrice: big(65_000_00000000n),
  latestPriceUSD: decimal('65000'),
  latestPriceAt: big(1),
  ltvBps: int(4000),
  utilizationBps: int(100),
  createdAtBlock: big(1),
  createdAt: big(1),
};
for (const k of [
  'totalCollateral',
  'totalPrincipalOutstanding',
  'availableLiquidity',
  'totalShares',
  'reserveBalance',
  'totalBadDebt',
  'cumulativeBorrowed',
  'cumulativePrincipalRepaid',
  'cumulativeInterestPaid',
  'cumulativeLiquidatedDebt',
  'cumulativeCollateralSeized',
])
  marketFields[k] = big(1_000_000);
for (const k of [
  'totalCollateralUSD',
  'totalPrincipalOutstandingUSD',
  'lenderAssetsUSD',
  'reserveBalanceUSD',
  'totalBadDebtUSD',
])
  marketFields[k] = decimal('1000');
for (const k of ['loanCount', 'openLoanCount', 'repaidLoanCount', 'priceLiquidationCount', 'defaultLiquidationCount'])
  marketFields[k] = int(LOANS);
changes.push(set('Market', market, marketFields));
for (let i = 0; i < 200; i += 1) {
  changes.push(
    set('LiquidationBucket', `${market}${i.toString(16).padStart(8, '0')}`, {
      market: bytes(market),
      index: int(900 + i),
      lowerPriceUSD: decimal(String(30_000 + i * 150)),
      upperPriceUSD: decimal(String(30_150 + i * 150)),
      debt: big(1_000_000_000),
      collateral: big(100_000_000),
      loanCount: int(50),
    }),
  );
}
for (let i = 0; i < LOANS; i += 1) {
  changes.push(
    set('Loan', loanId(i), {
      market: bytes(market),
      loanId: big(i + 1),
      borrower: bytes(hex(0xb0)),
      status: str(i % 5 === 0 ? 'REPAID' : 'OPEN'),
      collateralAmount: big(100_000_000 + i),
      principal: big(26_000_000_000 + i),
      principalOutstanding: big(20_000_000_000 + i),
      interestPaid: big(i),
      principalRepaid: big(i),
      aprBps: int(900),
      maxLtvBps: int(6500),
      reserveFactorBps: int(1000),
      gracePeriod: big(259200),
      installmentCount: int(4),
      installmentInterval: big(2_592_000),
      installmentAmount: big(6_500_000_000),
      installmentsPaid: int(1),
      openedAt: big(1_700_000_000 + i),
      openedAtBlock: big(1),
      maturity: big(1_710_000_000),
      nextDueAt: big(1_702_000_000 + i),
      defaultsAt: big(1_702_259_200 + i),
      lastPaymentAt: big(1_700_000_000),
      debt: big(20_000_000_000 + i),
      liquidationPrice: big(25_000_00000000n + BigInt(i) * 1_000_000n),
      liquidationPriceUSD: decimal(String(25_000 + i / 100)),
      ltvBps: int(3000 + (i % 3000)),
      healthFactor: decimal('1.5'),
      updatedAtBlock: big(1),
      updatedAt: big(1),
    }),
  );
}
for (let i = 0; i < EVENTS; i += 1) {
  changes.push(
    set('Repayment', hex(i, 72), {
      loan: bytes(loanId(i % LOANS).slice(2)),
      market: bytes(market),
      payer: bytes(hex(0xb0)),
      amount: big(1_000_000),
      interestPaid: big(1000),
      principalPaid: big(999_000),
      reserveCut: big(100),
      principalOutstandingBefore: big(2),
      principalOutstandingAfter: big(1),
      dueAtBefore: big(1),
      nextDueAt: big(2),
      late: { kind: 'Bool', value: false },
      ltvBpsAfter: int(4000),
      blockNumber: big(1),
      timestamp: big(1_700_000_000 + i),
      transactionHash: bytes(hex(i, 64)),
    }),
  );
}
await store.transact([{ block: { number: 1, hash: hex(1, 64), parentHash: null, timestamp: 1 }, changes }], [], {
  number: 1,
  hash: hex(1, 64),
  parentHash: null,
  timestamp: 1,
});
// Queries run against a synced deployment: with its attribute and GiST indexes (postponed while loading, as
// the runner creates them at the head) and planner statistics — PostgreSQL's autovacuum gathers
// them after a bulk load on its own (graph-node relies on it); PGlite has none, so the load ends
// with what autovacuum would have run.
await store.createPostponedIndexes();
await store.analyze();
console.log(
  `loaded ${LOANS} loans and ${EVENTS} repayments into PGlite in ${((Date.now() - started) / 1000).toFixed(1)} s`,
);

const queries: Record<string, string> = {
  overview:
    '{ protocols(first: 1) { totalCollateralUSD totalDebtUSD openLoanCount } markets { name latestPriceUSD totalCollateralUSD ltvBps openLoanCount } }',
  'at-risk loans':
    '{ loans(first: 25, where: { status: OPEN }, orderBy: liquidationPrice, orderDirection: desc) { id loanId debt ltvBps healthFactor liquidationPriceUSD market { name } borrower { id } } }',
  'loans page 40': '{ loans(first: 25, skip: 1000, orderBy: debt, orderDirection: desc) { id debt } }',
  'risk buckets':
    '{ markets { name liquidationBuckets(first: 1000, where: { loanCount_gt: 0 }) { lowerPriceUSD debt loanCount } } }',
  'loan page': `{ loan(id: "${loanId(4321)}") { id status debt repayments(orderBy: timestamp) { amount timestamp } } }`,
  'repayments by time':
    '{ repayments(first: 100, orderBy: timestamp, orderDirection: desc, where: { timestamp_gte: "1700050000" }) { id amount loan { loanId } } }',
};

let head = 1;
/** Moves the head one (empty) block on, as indexing does. */
const advance = async () => {
  head += 1;
  const ptr = { number: head, hash: hex(head, 64), parentHash: hex(head - 1, 64), timestamp: head };
  await store.transact([{ block: ptr, changes: [] }], [], ptr);
};

async function measure(label: string, cacheBlocks: number, moveHead: boolean): Promise<void> {
  const server = await createGraphQLServer([{ name: 'bench', deployment: 'QmBench', store }], {
    port: 0,
    cache: { blocks: cacheBlocks },
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/subgraphs/name/bench`;
  const post = (query: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const ticker = moveHead ? setInterval(() => void advance(), 1000) : undefined;
  console.log(`\n${label}`);
  for (const [name, query] of Object.entries(queries)) {
    const body = (await (await post(query)).json()) as { errors?: unknown };
    if (body.errors) throw new Error(`${name}: ${JSON.stringify(body.errors)}`);
    // Warm-up, unmeasured: JIT and the garbage left by the bulk load are not the server's latency.
    for (let i = 0; i < 20; i += 1) await (await post(query)).text();
    const times: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      const t = performance.now();
      await (await post(query)).text();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => (times[Math.floor(q * (times.length - 1))] as number).toFixed(1);
    console.log(`  ${name.padEnd(20)} p50 ${p(0.5)} ms  p95 ${p(0.95)} ms`);
  }
  const load = await autocannon({
    url,
    connections: 10,
    duration: 10,
    workers: 1,
    requests: Object.values(queries).map((query) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    })),
  });
  clearInterval(ticker);
  console.log(
    `  mixed load, 10 connections, 10 s: ${Math.round(load.requests.average)} requests/s, p97.5 ${load.latency.p97_5} ms, errors ${load.errors + load.non2xx}`,
  );
  await new Promise((resolve) => server.close(resolve));
}

await measure('query cache on (GRAPH_QUERY_CACHE_BLOCKS=2, the default)', 2, false);
await measure('query cache on, head advancing every second', 2, true);
await measure('query cache off (GRAPH_QUERY_CACHE_BLOCKS=0)', 0, false);
await store.close();

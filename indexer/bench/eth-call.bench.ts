// ethereum.call through the worker: synchronous eth_calls per second via BlockingRpc (what a
// handler's call costs), against the same calls made asynchronously one at a time and all at once
// (what declared calls cost), on a local EDR node with a MockPriceFeed; then the dispatch cost of
// the real subgraph's price handler (which makes no calls) with and without a node attached, to
// show that handlers without calls pay nothing for the worker.
// Usage: pnpm --filter indexer bench eth-call (BENCH_CALLS, default 2000)
import { spawn } from 'node:child_process';
import { loadArtifact } from 'contracts/artifacts';
import { startChain } from 'contracts/chain';
import { encodeDeployData, encodeFunctionData, type Hex } from 'viem';
import { BlockingRpc } from '../src/chain/blocking-rpc.js';
import { RpcEthereumChain } from '../src/chain/ethereum-chain.js';
import { RpcClient } from '../src/chain/rpc-client.js';
import { eventLogs, FEED, loadSubgraphWithMarket, syntheticBlock, templateEvent } from './market-subgraph.js';

const calls = Number(process.env.BENCH_CALLS ?? 2000);
const node = await startChain({ accounts: 2 });
const client = new RpcClient({ url: node.rpc });
const [account] = await client.request<Hex[]>('eth_accounts', []);
const feedArtifact = loadArtifact('MockPriceFeed');
const deployHash = await client.request<Hex>('eth_sendTransaction', [
  {
    from: account,
    gas: '0x500000',
    data: encodeDeployData({
      abi: feedArtifact.abi,
      bytecode: feedArtifact.bytecode,
      args: [8, 'BTC / USD', 6_000_000_000_000n, account],
    } as never),
  },
]);
const receipt = await client.request<{ contractAddress: Hex; blockNumber: Hex; blockHash: Hex }>(
  'eth_getTransactionReceipt',
  [deployHash],
);
const block = { number: BigInt(receipt.blockNumber), hash: receipt.blockHash };
const request = {
  address: receipt.contractAddress,
  data: encodeFunctionData({ abi: feedArtifact.abi, functionName: 'latestRoundData' } as never),
};
const chain = new RpcEthereumChain(node.rpc);
/** Runs `once` `calls` times, one after the other, and prints the rate. */
async function timed(label: string, once: () => unknown): Promise<void> {
  const started = performance.now();
  for (let i = 0; i < calls; i += 1) await once();
  const elapsed = performance.now() - started;
  console.log(`${label}: ${rate(calls, elapsed)} (${((elapsed * 1000) / calls).toFixed(0)} µs per call)`);
}
const rate = (n: number, elapsed: number) => `${Math.round((n * 1000) / elapsed).toLocaleString('en')} calls/s`;

// The worker's own cost, against a trivial JSON-RPC server in another process (this thread is
// blocked while it waits, so the server cannot run here).
const echo = spawn(
  process.execPath,
  [
    '-e',
    `require('node:http').createServer((q, s) => { let b = ''; q.on('data', (c) => (b += c)); q.on('end', () => {
      const r = JSON.parse(b); const one = (x) => ({ jsonrpc: '2.0', id: x.id, result: '0x01' });
      s.setHeader('content-type', 'application/json'); s.end(JSON.stringify(Array.isArray(r) ? r.map(one) : one(r)));
    }); }).listen(0, '127.0.0.1', function () { console.log(this.address().port); });`,
  ],
  { stdio: ['ignore', 'pipe', 'inherit'] },
);
const echoPort = await new Promise<number>((resolve) => echo.stdout.once('data', (d: Buffer) => resolve(Number(d))));
const echoUrl = `http://127.0.0.1:${echoPort}`;
const echoBlocking = new BlockingRpc(echoUrl);
const echoAsync = new RpcClient({ url: echoUrl });
echoBlocking.request('eth_call', []); // starts the worker
await timed('trivial server, synchronous through the worker', () => echoBlocking.request('eth_call', []));
await timed('trivial server, asynchronous one at a time (main thread)', () => echoAsync.request('eth_call', []));
echoBlocking.close();
echoAsync.close();
echo.kill();

const first = performance.now();
chain.call(request, block);
console.log(`worker start (tsx + viem in the worker) and first call: ${(performance.now() - first).toFixed(0)} ms`);
await timed('EDR node, synchronous through the worker', () => chain.call(request, block));
await timed('EDR node, asynchronous one at a time (main thread)', () =>
  client.request('eth_call', [{ to: request.address, data: request.data }, { blockHash: block.hash }]),
);
const all = performance.now();
await chain.callAll(
  Array.from({ length: calls }, () => request),
  block,
);
console.log(
  `EDR node, asynchronous all at once (declared calls: batches of 50, 4 POSTs in flight): ${rate(calls, performance.now() - all)}`,
);

// Dispatch of a handler that makes no calls, with and without a node attached.
const sg = await loadSubgraphWithMarket();
const runtime = sg.runtime;
const feedEvent = templateEvent(sg, 'PriceFeed', 'AnswerUpdated');
const priceBlock = (number: number) =>
  syntheticBlock(
    number,
    eventLogs(FEED, feedEvent, number, 100, (i) => ({
      current: 6_500_000_000_000n + BigInt(i),
      roundId: BigInt(number * 100 + i),
      updatedAt: BigInt(number),
    })),
  );
/** µs per event over 15 blocks of 100 price events. */
const dispatch = async (first: number) => {
  const started = performance.now();
  let triggers = 0;
  for (let b = first; b < first + 15; b += 1)
    triggers += (await runtime.processBlock(priceBlock(b) as never, sg.state)).triggers;
  return ((performance.now() - started) * 1000) / triggers;
};
await dispatch(50); // JIT warm-up
const idle = new RpcEthereumChain(node.rpc);
const best = { none: Number.POSITIVE_INFINITY, attached: Number.POSITIVE_INFINITY };
for (let round = 0; round < 4; round += 1) {
  runtime.chain = null;
  best.none = Math.min(best.none, await dispatch(100 + round * 40));
  runtime.chain = idle;
  best.attached = Math.min(best.attached, await dispatch(120 + round * 40));
}
console.log(
  `price handler (makes no calls), best of 4 × 1,500 events: ${best.none.toFixed(0)} µs per event without a node, ${best.attached.toFixed(0)} µs with one attached`,
);
console.log(`worker started by handlers without calls: ${idle.blocking.started}`);
idle.close();
chain.close();
client.close();
await node.stop();

// Many open loans on a simulated chain, for the dashboard bench's large run: the simulator's
// liquidity and schedules keep a few dozen loans open, the responsiveness target is about
// 10,000. Real transactions (the market's openLoan), mined in blocks of BLOCK loans an hour apart,
// so the indexer sees them as it would any loans: buckets, snapshots and counts come from its
// handlers, not from this file.
import { loadArtifact } from 'contracts/artifacts';
import type { Deployment } from 'contracts/deploy';
import { type Abi, type Address, decodeFunctionResult, encodeFunctionData, type Hex, maxUint256 } from 'viem';

/** Loans per block: well under EDR's 1e9 block gas limit at GAS each. */
const BLOCK = 400;
const GAS = '0x927c0'; // 600,000; openLoan uses about a third of it
const HOUR = 3600;

interface RpcCall {
  method: string;
  params: unknown[];
}

async function rpcBatch<T>(rpc: string, calls: RpcCall[]): Promise<T[]> {
  if (calls.length === 0) return [];
  const response = await fetch(rpc, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(calls.map((c, id) => ({ jsonrpc: '2.0', id, ...c }))),
  });
  const answers = (await response.json()) as Array<{ id: number; result?: T; error?: { message: string } }>;
  const failed = answers.find((a) => a.error);
  if (failed) throw new Error(`open-loans: ${calls[failed.id]?.method} failed: ${failed.error?.message}`);
  return answers.sort((a, b) => a.id - b.id).map((a) => a.result as T);
}

const rpcCall = async <T>(rpc: string, method: string, params: unknown[] = []) =>
  (await rpcBatch<T>(rpc, [{ method, params }]))[0] as T;

/** Deterministic draws in [0, 1) (a 32-bit LCG): the same seed opens the same loans. */
function draws(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * Opens `count` loans spread over the deployment's markets and the chain's borrowers, after the
 * simulation (whose accounts and approvals it reuses: account 0 governs, 2 lends, 10 on borrow).
 * Collateral 0.05–3 BTC, LTV 35–97 % of the market's maximum (liquidation prices spread over the
 * ladder), 2–8 monthly installments (none falls due while the bench runs).
 */
export async function openLoans(rpc: string, deployment: Deployment, count: number, seed: number): Promise<void> {
  const abis: Record<'market' | 'token' | 'feed', Abi> = {
    market: loadArtifact('LoanMarket').abi,
    token: loadArtifact('TestToken').abi,
    feed: loadArtifact('MockPriceFeed').abi,
  };
  const accounts = (await rpcCall<Address[]>(rpc, 'eth_accounts')).map((a) => a.toLowerCase() as Address);
  const [governance, , lender] = accounts as [Address, Address, Address];
  const borrowers = accounts.slice(10);
  const usdc = deployment.tokens.USDC;
  if (!usdc || borrowers.length === 0)
    throw new Error('open-loans: the deployment has no USDC or the chain no borrowers');
  const random = draws(seed);
  const tx = (from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[]): RpcCall => ({
    method: 'eth_sendTransaction',
    params: [{ from, to, gas: GAS, data: encodeFunctionData({ abi, functionName, args }) }],
  });
  let time = Number((await rpcCall<{ timestamp: Hex }>(rpc, 'eth_getBlockByNumber', ['latest', false])).timestamp);
  const prices = await rpcBatch<Hex>(
    rpc,
    deployment.markets.map((m) => ({
      method: 'eth_call',
      params: [{ to: m.priceFeed, data: encodeFunctionData({ abi: abis.feed, functionName: 'latestRoundData' }) }],
    })),
  );
  const answers = prices.map(
    (data) =>
      (decodeFunctionResult({ abi: abis.feed, functionName: 'latestRoundData', data }) as bigint[])[1] as bigint,
  );
  // Each block an hour on, with the feeds' price restated in it (the markets refuse stale
  // prices). Governance's transactions go first, in their own batch: the node runs a batch's
  // requests concurrently, so only separate batches order them within the block.
  const mine = async (governed: RpcCall[], others: RpcCall[]) => {
    const restated = deployment.markets.map((m, i) =>
      tx(governance, m.priceFeed, abis.feed, 'updateAnswer', [answers[i] as bigint]),
    );
    const hashes = [...(await rpcBatch<Hex>(rpc, [...restated, ...governed])), ...(await rpcBatch<Hex>(rpc, others))];
    time += HOUR;
    await rpcCall(rpc, 'evm_mine', [time]);
    const receipts = await rpcBatch<{ status: Hex }>(
      rpc,
      hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
    );
    const failed = receipts.filter((r) => r.status !== '0x1').length;
    if (failed > 0) throw new Error(`open-loans: ${failed} of ${hashes.length} transactions reverted`);
  };

  await rpcCall(rpc, 'evm_setAutomine', [false]);
  try {
    // Liquidity for every loan (about 40,000 USDC each on average), and every borrower approved.
    const liquidity = BigInt(count) * 200_000n * 10n ** BigInt(usdc.decimals);
    await mine(
      [
        tx(governance, usdc.address, abis.token, 'mint', [lender, liquidity * BigInt(deployment.markets.length)]),
        ...deployment.markets.flatMap((m) =>
          borrowers.map((b) => tx(governance, m.address, abis.market, 'setBorrowerApproval', [b, true])),
        ),
      ],
      deployment.markets.map((m) => tx(lender, usdc.address, abis.token, 'approve', [m.address, maxUint256])),
    );
    await mine(
      [],
      deployment.markets.map((m) => tx(lender, m.address, abis.market, 'supply', [liquidity])),
    );

    for (let opened = 0; opened < count; opened += BLOCK) {
      const batch: RpcCall[] = [];
      for (let i = opened; i < Math.min(count, opened + BLOCK); i += 1) {
        const index = Math.floor(random() * deployment.markets.length);
        const market = deployment.markets[index];
        const price = answers[index];
        if (!market || price === undefined) throw new Error('open-loans: a market without a price');
        const unit = 10n ** BigInt(market.collateralDecimals);
        const collateral = (BigInt(Math.round((0.05 + random() * 2.95) * 1e6)) * unit) / 1_000_000n;
        // Collateral value in USDC units: feed prices carry 8 decimals.
        const value = (collateral * price * 10n ** BigInt(usdc.decimals)) / (unit * 10n ** 8n);
        const ltv = BigInt(Math.floor(market.params.maxLtvBps * (0.35 + random() * 0.62)));
        const installments = 2 + Math.floor(random() * 7);
        const borrower = borrowers[i % borrowers.length] as Address;
        batch.push(
          tx(borrower, market.address, abis.market, 'openLoan', [
            collateral,
            (value * ltv) / 10_000n,
            installments,
            30 * 24 * HOUR,
          ]),
        );
      }
      await mine([], batch);
    }
  } finally {
    await rpcCall(rpc, 'evm_setAutomine', [true]);
  }
}

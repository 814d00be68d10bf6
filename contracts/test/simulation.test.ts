// After a seeded simulation with a crash: the chain's books balance, and the keeper left nothing
// liquidatable behind.
import type { Address } from 'viem';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulationSummary, simulate } from '../src/simulate/index.js';
import { abis, type Protocol, startProtocol } from './protocol.js';

let p: Protocol;
let summary: SimulationSummary;
type LoanView = readonly [Address, number, bigint, bigint, bigint, number, bigint, bigint, bigint];

beforeAll(async () => {
  p = await startProtocol();
  summary = await simulate({ rpc: p.chain.rpc, deployment: p.deployment, seed: 7, loans: 60, days: 90, crashPct: 40 });
});
afterAll(async () => {
  await p?.stop();
});

describe('a seeded simulation', () => {
  it('produces every kind of outcome: repayments, PRICE and DEFAULT liquidations, bad debt', () => {
    expect(summary.loansOpened).toBeGreaterThan(40);
    expect(summary.loansRepaid).toBeGreaterThan(0);
    expect(summary.liquidations.price).toBeGreaterThan(0);
    expect(summary.liquidations.default).toBeGreaterThan(0);
    expect(summary.liquidations.withBadDebt).toBeGreaterThan(0);
    expect(summary.failedTransactions).toBe(0);
  });

  it('keeps totals equal to the sum of the loans, and token balances equal to the books', async () => {
    for (const market of p.deployment.markets) {
      const count = await p.read<bigint>(market.address, abis.market, 'loanCount');
      let collateral = 0n;
      let principal = 0n;
      for (let id = 1n; id <= count; id += 1n) {
        const loan = await p.read<LoanView>(market.address, abis.market, 'getLoan', [id]);
        if (loan[1] === 0) {
          collateral += loan[2];
          principal += loan[4];
        } else {
          expect(loan[2]).toBe(0n);
          expect(loan[4]).toBe(0n);
        }
      }
      expect(await p.read(market.address, abis.market, 'totalCollateral')).toBe(collateral);
      expect(await p.read(market.address, abis.market, 'totalPrincipalOutstanding')).toBe(principal);
      const usdc = p.deployment.tokens.USDC?.address as Address;
      const cash = await p.read<bigint>(usdc, abis.token, 'balanceOf', [market.address]);
      const liquidity = await p.read<bigint>(market.address, abis.market, 'availableLiquidity');
      const reserve = await p.read<bigint>(market.address, abis.market, 'reserveBalance');
      expect(cash).toBe(liquidity + reserve);
      expect(await p.read(market.collateralToken, abis.token, 'balanceOf', [market.address])).toBe(collateral);
    }
  });

  it('agrees with a recomputation of liquidatable() from getLoan and the price, and nothing is left to liquidate', async () => {
    const now = await p.now();
    for (const market of p.deployment.markets) {
      const [, answer] = await p.read<readonly [bigint, bigint]>(market.priceFeed, abis.feed, 'latestRoundData');
      const count = await p.read<bigint>(market.address, abis.market, 'loanCount');
      for (let id = 1n; id <= count; id += 1n) {
        const loan = await p.read<LoanView>(market.address, abis.market, 'getLoan', [id]);
        const [can, reason] = await p.read<readonly [boolean, number]>(market.address, abis.market, 'liquidatable', [
          id,
        ]);
        if (loan[1] !== 0) {
          expect(can).toBe(false);
          continue;
        }
        const debt = await p.read<bigint>(market.address, abis.market, 'debtOf', [id]);
        const scale = 10n ** BigInt(market.collateralDecimals + 8 - 6);
        const value = (loan[2] * answer) / scale;
        const byPrice = debt * 10_000n >= value * BigInt(market.params.liquidationLtvBps);
        const byDefault = now > loan[8] + BigInt(market.params.gracePeriod);
        expect(can, `loan ${id} of ${market.name}`).toBe(byPrice || byDefault);
        if (can) expect(reason).toBe(byPrice ? 0 : 1);
      }
    }
  });

  it('only ever liquidated loans that liquidatable() allowed in that block', async () => {
    // liquidate() reverts unless the loan is liquidatable, so every LoanLiquidated event is proof.
    const logs = await p.client.getContractEvents({
      abi: abis.market,
      eventName: 'LoanLiquidated',
      fromBlock: 0n,
      address: p.deployment.markets.map((m) => m.address),
    });
    expect(logs.length).toBe(summary.liquidations.price + summary.liquidations.default);
  });
});

// Seeded activity simulator: lenders, approved (and revoked) borrowers with different payment
// behaviours, a BTC random walk with an optional crash, and a keeper that liquidates what
// `liquidatable()` confirms. Every simulated day is two blocks mined at exact timestamps (the
// day's transactions, then the keeper's), so a seed always produces the same chain.
import {
  type Abi,
  type Address,
  decodeEventLog,
  encodeDeployData,
  encodeFunctionData,
  type Hex,
  maxUint256,
} from 'viem';
import { loadArtifact } from '../compile.js';
import { type Deployment, readDeployment } from '../deploy.js';
import {
  accruedInterest,
  debtOf,
  installmentAmount,
  type LoanState,
  liquidationReason,
  ltvBps,
  MarketModel,
  nextDueAt,
} from './model.js';
import { Random } from './random.js';
import { JsonRpc, type RpcRequest } from './rpc.js';

export interface SimulationOptions {
  rpc: string;
  /** The deployment to drive; read from deployments/<network>.json when absent. */
  deployment?: Deployment;
  network?: string;
  seed?: number;
  loans?: number;
  days?: number;
  markets?: number;
  /** Percentage the BTC price falls on `crashDay` (0 = no crash). */
  crashPct?: number;
  crashDay?: number;
  /** After the seeded days, keep producing activity at a human pace until `signal` aborts. */
  live?: boolean;
  /**
   * Continue the simulation already on the chain (a resumed `npm start`): its state is rebuilt
   * from the markets' logs, then the seeded days left (counted from its first liquidity) and the
   * live mode go on from the chain's time. A chain without one starts as usual.
   */
  resume?: boolean;
  signal?: AbortSignal;
  onProgress?: (line: string) => void;
}

export interface SimulationSummary {
  seed: number;
  days: number;
  blocks: number;
  seconds: number;
  loansOpened: number;
  loansRepaid: number;
  liquidations: { price: number; default: number; withBadDebt: number };
  badDebt: Record<string, string>;
  events: Record<string, number>;
  totalEvents: number;
  failedTransactions: number;
}

type Profile = 'punctual' | 'early' | 'late' | 'defaulter' | 'manager';
const PROFILES: readonly Profile[] = [
  'punctual',
  'punctual',
  'punctual',
  'punctual',
  'punctual',
  'punctual',
  'early',
  'early',
  'late',
  'late',
  'defaulter',
  'manager',
  'manager',
];
const DAY = 86_400n;
const GAS = '0x1e8480'; // 2,000,000
/** Payments or liquidations per helper transaction, and the gas such a transaction may use. */
const BATCH = 60;
const BATCH_GAS = '0xf42400'; // 16,000,000: EDR caps a transaction at 2^24 gas

export const defaultSimulationOptions = { seed: 1, loans: 40, days: 90, markets: 2, crashPct: 40 } as const;

export async function simulate(options: SimulationOptions): Promise<SimulationSummary> {
  const started = Date.now();
  const seed = options.seed ?? defaultSimulationOptions.seed;
  const days = options.days ?? defaultSimulationOptions.days;
  const loanTarget = options.loans ?? defaultSimulationOptions.loans;
  const crashPct = options.crashPct ?? defaultSimulationOptions.crashPct;
  const crashDay = options.crashDay ?? Math.max(1, Math.floor((days * 2) / 3));
  // The chain first: with no chain running, that is the problem to report.
  const rpc = new JsonRpc(options.rpc);
  const accounts = (await rpc.call<Address[]>('eth_accounts')).map((a) => a.toLowerCase() as Address);
  const deployment = options.deployment ?? readDeployment(options.network ?? 'localhost');
  const marketCount = options.markets ?? defaultSimulationOptions.markets;
  if (marketCount < 1 || marketCount > deployment.markets.length) {
    throw new Error(`--markets must be between 1 and ${deployment.markets.length} (the deployed markets)`);
  }
  let random = new Random(seed);
  const abis = {
    market: loadArtifact('LoanMarket').abi,
    token: loadArtifact('TestToken').abi,
    feed: loadArtifact('MockPriceFeed').abi,
    batcher: loadArtifact('SimBatcher').abi,
  };
  if (accounts.length < 20) throw new Error('the chain needs at least 20 unlocked accounts (pnpm chain gives 120)');
  const [governance, keeper] = accounts as [Address, Address];
  const lenders = accounts.slice(2, 10);
  const borrowers = accounts.slice(10);
  const profiles = new Map<Address, Profile>(borrowers.map((b) => [b, random.pick(PROFILES)]));
  const defaultAfter = new Map<bigint, number>();
  const markets = deployment.markets
    .slice(0, marketCount)
    .map(
      (m) =>
        new MarketModel(
          m,
          BigInt(m.name.startsWith('tBTC') ? 64_900_00000000n : 65_000_00000000n),
          deployment.tokens.USDC?.decimals ?? 6,
          8,
        ),
    );
  const byAddress = new Map(markets.map((m) => [m.address.toLowerCase(), m]));
  const approved = new Set<string>();

  const summary = emptySummary(seed, days, markets);

  // Governance's transactions (prices, approvals) are submitted before everyone else's: the node
  // handles a JSON-RPC batch concurrently, so only separate batches fix the order in the block.
  let pending: [RpcRequest[], RpcRequest[]] = [[], []];
  const send = (from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[], gas = GAS) => {
    const data = encodeFunctionData({ abi, functionName, args } as Parameters<typeof encodeFunctionData>[0]);
    pending[from === governance ? 0 : 1].push({ method: 'eth_sendTransaction', params: [{ from, to, data, gas }] });
  };
  const hasPending = () => pending[0].length + pending[1].length > 0;

  const latest = await rpc.call<{ timestamp: Hex }>('eth_getBlockByNumber', ['latest', false]);
  let now = BigInt(latest.timestamp);

  // Mines the pending transactions into one block at `timestamp`, then applies its logs.
  const mine = async (timestamp: bigint) => {
    const hashes = [...(await rpc.batch<Hex>(pending[0])), ...(await rpc.batch<Hex>(pending[1]))];
    pending = [[], []];
    await rpc.call('evm_mine', [Number(timestamp)]);
    summary.blocks += 1;
    const blockNumber = await rpc.call<Hex>('eth_blockNumber');
    const logs = await rpc.call<RawLog[]>('eth_getLogs', [
      { fromBlock: blockNumber, toBlock: blockNumber, address: [...markets.map((m) => m.address), batcher] },
    ]);
    const feedLogs = await rpc.call<RawLog[]>('eth_getLogs', [
      { fromBlock: blockNumber, toBlock: blockNumber, address: markets.map((m) => m.deployment.priceFeed) },
    ]);
    summary.events.AnswerUpdated = (summary.events.AnswerUpdated ?? 0) + feedLogs.length / 2;
    summary.events.NewRound = (summary.events.NewRound ?? 0) + feedLogs.length / 2;
    summary.totalEvents += feedLogs.length;
    for (const log of logs) applyLog(log, timestamp);
    if (hashes.length > 0) {
      const receipts = await rpc.batch<{ status: Hex }>(
        hashes.map((hash) => ({ method: 'eth_getTransactionReceipt', params: [hash] })),
      );
      summary.failedTransactions += receipts.filter((r) => r.status !== '0x1').length;
    }
  };

  const applyLog = (log: RawLog, timestamp: bigint) => {
    if (log.address.toLowerCase() === batcher) {
      summary.failedTransactions += 1; // BatchItemFailed: one payment or liquidation reverted
      return;
    }
    const market = byAddress.get(log.address.toLowerCase());
    if (!market) return;
    const { eventName, args } = decodeEventLog({ abi: abis.market, data: log.data, topics: log.topics }) as unknown as {
      eventName: string;
      args: Record<string, unknown>;
    };
    summary.events[eventName] = (summary.events[eventName] ?? 0) + 1;
    summary.totalEvents += 1;
    const loan = typeof args.loanId === 'bigint' ? market.loans.get(args.loanId) : undefined;
    switch (eventName) {
      case 'LiquiditySupplied':
      case 'LiquidityWithdrawn': {
        const sign = eventName === 'LiquiditySupplied' ? 1n : -1n;
        const lender = (args.lender as string).toLowerCase() as Address;
        market.availableLiquidity += sign * (args.assets as bigint);
        market.totalShares += sign * (args.shares as bigint);
        market.sharesOf.set(lender, (market.sharesOf.get(lender) ?? 0n) + sign * (args.shares as bigint));
        break;
      }
      case 'LoanOpened': {
        const id = args.loanId as bigint;
        const params = market.deployment.params;
        market.loans.set(id, {
          id,
          market,
          borrower: (args.borrower as string).toLowerCase() as Address,
          status: 'open',
          collateral: args.collateralAmount as bigint,
          principal: args.principal as bigint,
          principalOutstanding: args.principal as bigint,
          aprBps: BigInt(args.aprBps as number),
          installmentCount: BigInt(args.installmentCount as number),
          installmentInterval: args.installmentInterval as bigint,
          openedAt: timestamp,
          lastPaymentAt: timestamp,
          maxLtvBps: BigInt(params.maxLtvBps),
          gracePeriod: BigInt(params.gracePeriod),
        });
        market.availableLiquidity -= args.principal as bigint;
        market.totalPrincipalOutstanding += args.principal as bigint;
        summary.loansOpened += 1;
        break;
      }
      case 'CollateralDeposited':
      case 'CollateralWithdrawn':
        if (loan) loan.collateral = args.collateralAfter as bigint;
        break;
      case 'LoanRepaid': {
        if (!loan) break;
        const interest = args.interestPaid as bigint;
        const principalPaid = args.principalPaid as bigint;
        const reserveCut = (interest * BigInt(market.deployment.params.reserveFactorBps)) / 10_000n;
        loan.principalOutstanding = args.principalOutstanding as bigint;
        loan.lastPaymentAt = timestamp;
        market.reserve += reserveCut;
        market.availableLiquidity += interest + principalPaid - reserveCut;
        market.totalPrincipalOutstanding -= principalPaid;
        break;
      }
      case 'BorrowerApprovalSet': {
        const key = `${market.address}:${(args.borrower as string).toLowerCase()}`;
        if (args.approved) approved.add(key);
        else approved.delete(key);
        break;
      }
      case 'LoanClosed':
        if (loan) {
          loan.status = 'repaid';
          loan.collateral = 0n;
        }
        summary.loansRepaid += 1;
        break;
      case 'LoanLiquidated': {
        if (!loan) break;
        const badDebt = args.badDebt as bigint;
        const covered = args.reserveCovered as bigint;
        market.totalPrincipalOutstanding -= loan.principalOutstanding;
        market.availableLiquidity += (args.debtRepaid as bigint) + covered;
        market.reserve -= covered;
        loan.status = 'liquidated';
        loan.principalOutstanding = 0n;
        loan.collateral = 0n;
        if (args.reason === 0) summary.liquidations.price += 1;
        else summary.liquidations.default += 1;
        if (badDebt > 0n) {
          summary.liquidations.withBadDebt += 1;
          const name = market.deployment.name;
          summary.badDebt[name] = (BigInt(summary.badDebt[name] ?? '0') + badDebt).toString();
        }
        break;
      }
    }
  };

  // Rebuilds the model (loans, liquidity, shares, approvals) by applying the markets' logs since
  // the deployment, exactly as the blocks that emitted them were applied; returns the time of the
  // lenders' first liquidity, or undefined when the chain carries no simulation yet.
  async function rebuildFromChain(): Promise<bigint | undefined> {
    const logs = await rpc.call<Array<RawLog & { blockNumber: Hex }>>('eth_getLogs', [
      {
        fromBlock: `0x${deployment.factory.startBlock.toString(16)}`,
        toBlock: 'latest',
        address: markets.map((m) => m.address),
      },
    ]);
    const blockNumbers = [...new Set(logs.map((log) => log.blockNumber))];
    const blocks = await rpc.batch<{ timestamp: Hex }>(
      blockNumbers.map((number) => ({ method: 'eth_getBlockByNumber', params: [number, false] })),
    );
    const timeOf = new Map(blockNumbers.map((number, index) => [number, BigInt(blocks[index]?.timestamp ?? '0x0')]));
    let liquidityAt: bigint | undefined;
    for (const log of logs) {
      const timestamp = timeOf.get(log.blockNumber) ?? 0n;
      applyLog(log, timestamp);
      if (liquidityAt === undefined && summary.events.LiquiditySupplied) liquidityAt = timestamp;
    }
    return liquidityAt;
  }

  // The batching helper pays dues and liquidates many loans per transaction (simulation only):
  // one transaction per event would leave the chain node, not the simulator, as the bottleneck.
  const batcherArtifact = loadArtifact('SimBatcher');
  // A resumed chain may have stopped in the middle of a simulated block, with automine off.
  await rpc.call('evm_setAutomine', [true]);
  const deployHash = await rpc.call<Hex>('eth_sendTransaction', [
    {
      from: governance,
      data: encodeDeployData({
        abi: batcherArtifact.abi,
        bytecode: batcherArtifact.bytecode,
        args: [deployment.tokens.USDC?.address as Address, markets.map((m) => m.address)],
      }),
      gas: '0x989680',
    },
  ]);
  let batcher = '' as Address;
  for (let tries = 0; !batcher && tries < 200; tries += 1) {
    const receipt = await rpc.call<{ contractAddress: Address } | null>('eth_getTransactionReceipt', [deployHash]);
    if (receipt) batcher = receipt.contractAddress.toLowerCase() as Address;
    else await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const head = await rpc.call<{ number: Hex; timestamp: Hex }>('eth_getBlockByNumber', ['latest', false]);
  now = BigInt(head.timestamp);
  const resumedFrom = options.resume ? await rebuildFromChain() : undefined;
  if (resumedFrom !== undefined) {
    // This run's summary counts this run's activity; the draws go on from a new seed (the chain's height).
    Object.assign(summary, emptySummary(seed, days, markets));
    random = new Random(seed + Number(head.number));
  }

  // --- setup: tokens, approvals and lenders' first liquidity ---
  await rpc.call('evm_setAutomine', [false]);
  try {
    const usdc = deployment.tokens.USDC?.address as Address;
    send(governance, usdc, abis.token, 'mint', [batcher, 10n ** 21n]);
    for (const account of resumedFrom === undefined ? [...lenders, ...borrowers, keeper] : []) {
      send(governance, usdc, abis.token, 'mint', [account, 1_000_000_000n * 10n ** 6n]);
      for (const market of markets) {
        send(account, usdc, abis.token, 'approve', [market.address, maxUint256]);
        if (borrowers.includes(account)) {
          const decimals = BigInt(market.deployment.collateralDecimals);
          send(governance, market.deployment.collateralToken, abis.token, 'mint', [account, 1_000n * 10n ** decimals]);
          send(account, market.deployment.collateralToken, abis.token, 'approve', [market.address, maxUint256]);
        }
      }
    }
    now += 60n;
    await mine(now);
    for (const market of resumedFrom === undefined ? markets : []) {
      for (const lender of lenders) {
        send(lender, market.address, abis.market, 'supply', [BigInt(random.int(2_000_000, 6_000_000)) * 10n ** 6n]);
      }
    }
    if (resumedFrom === undefined) {
      now += 60n;
      await mine(now);
    }
    // Day d's first block is mined d days after the lenders' first liquidity.
    const liquidityAt = resumedFrom ?? now;

    // Loan openings are spread over the first 80 % of the days.
    const openingDays = Math.max(1, Math.floor(days * 0.8));
    const opensOn = new Array<number>(days + 1).fill(0);
    for (let i = 0; i < loanTarget; i += 1) {
      const day = 1 + Math.floor((i * openingDays) / Math.max(loanTarget, 1));
      opensOn[day] = (opensOn[day] ?? 0) + 1;
    }
    let btc = 65_000;
    if (resumedFrom !== undefined) {
      const feed = markets[0]?.deployment.priceFeed as Address;
      const round = await rpc.call<Hex>('eth_call', [
        { to: feed, data: encodeFunctionData({ abi: abis.feed, functionName: 'latestRoundData' }) },
        'latest',
      ]);
      btc = Number(BigInt(`0x${round.slice(66, 130)}`)) / 1e8;
    }
    const progressEvery = Math.max(1, Math.floor(days / 10));

    const step = async (day: number, stepSeconds: bigint, activity: number, opens: number) => {
      now += stepSeconds;
      // Price: a log-normal walk with 3.5 % daily volatility (scaled to the step), and the crash.
      const vol = 0.035 * Math.sqrt(Number(stepSeconds) / 86_400);
      btc *= Math.exp(vol * random.gaussian() - (vol * vol) / 2);
      if (crashPct > 0 && day === crashDay) btc *= 1 - crashPct / 100;
      for (const market of markets) {
        const deviation = market.deployment.name.startsWith('tBTC') ? 1 + random.between(-0.004, 0.002) : 1;
        market.price = BigInt(Math.max(1, Math.round(btc * deviation * 1e8)));
        send(governance, market.deployment.priceFeed, abis.feed, 'updateAnswer', [market.price]);
      }
      // Liquidity promised in this block (withdrawals and new loans), so that no transaction's
      // success depends on its order among the others in the block.
      const reserved = new Map<MarketModel, bigint>();
      // Lenders come and go.
      for (const market of markets) {
        if (random.chance(0.15 * activity)) {
          send(random.pick(lenders), market.address, abis.market, 'supply', [
            BigInt(random.int(50_000, 500_000)) * 10n ** 6n,
          ]);
        }
        if (random.chance(0.1 * activity)) {
          const lender = random.pick(lenders);
          const shares = (market.sharesOf.get(lender) ?? 0n) / 10n;
          const assets = market.totalShares === 0n ? 0n : (shares * market.lenderAssets()) / market.totalShares;
          if (shares > 0n && assets * 4n < market.availableLiquidity) {
            send(lender, market.address, abis.market, 'withdraw', [shares]);
            reserved.set(market, (reserved.get(market) ?? 0n) + assets + 1n);
          }
        }
      }
      // New loans (borrowers are approved by compliance the first time they borrow).
      for (let i = 0; i < opens; i += 1) {
        const market = random.pick(markets);
        const borrower = random.pick(borrowers);
        const approvalKey = `${market.address}:${borrower}`;
        if (!approved.has(approvalKey)) {
          send(governance, market.address, abis.market, 'setBorrowerApproval', [borrower, true]);
          approved.add(approvalKey);
        }
        const unit = 10n ** BigInt(market.deployment.collateralDecimals);
        const collateral = (BigInt(Math.round(random.between(0.05, 3) * 1e6)) * unit) / 1_000_000n;
        const targetLtv = BigInt(Math.floor(market.deployment.params.maxLtvBps * random.between(0.35, 0.97)));
        const principal = (market.value(collateral) * targetLtv) / 10_000n;
        const available = market.availableLiquidity - (reserved.get(market) ?? 0n);
        if (principal <= 0n || principal > available) continue;
        reserved.set(market, (reserved.get(market) ?? 0n) + principal);
        const installments = random.int(2, 8);
        const interval = BigInt(random.pick([7, 14, 30])) * DAY;
        send(borrower, market.address, abis.market, 'openLoan', [collateral, principal, installments, interval]);
      }
      // Compliance revokes now and then (revocation never touches open loans).
      if (random.chance(0.05 * activity)) {
        const approvalKey = `${random.pick(markets).address}:${random.pick(borrowers)}`;
        if (approved.has(approvalKey)) {
          const [market, borrower] = approvalKey.split(':') as [Address, Address];
          send(governance, market, abis.market, 'setBorrowerApproval', [borrower, false]);
          approved.delete(approvalKey);
        }
      }
      // Payments (batched through the helper) and collateral management.
      for (const market of markets) {
        const dues: Array<[bigint, bigint]> = [];
        for (const loan of market.openLoans()) payOrManage(loan, market, dues);
        for (let i = 0; i < dues.length; i += BATCH) {
          const chunk = dues.slice(i, i + BATCH);
          const ids = chunk.map(([id]) => id);
          const amounts = chunk.map(([, amount]) => amount);
          send(keeper, batcher, abis.batcher, 'repayMany', [market.address, ids, amounts], BATCH_GAS);
        }
      }
      await mine(now);
      // The keeper: the model proposes, `liquidatable()` decides.
      const candidates = markets.flatMap((m) => m.openLoans().filter((loan) => liquidationReason(loan, now) !== null));
      if (candidates.length > 0) {
        const answers = await rpc.batch<Hex>(
          candidates.map((loan) => ({
            method: 'eth_call',
            params: [
              {
                to: loan.market.address,
                data: encodeFunctionData({ abi: abis.market, functionName: 'liquidatable', args: [loan.id] }),
              },
              'latest',
            ],
          })),
        );
        const confirmed = candidates.filter((_, index) => BigInt((answers[index] ?? '0x').slice(0, 66)) === 1n);
        for (const market of markets) {
          const ids = confirmed.filter((loan) => loan.market === market).map((loan) => loan.id);
          for (let i = 0; i < ids.length; i += BATCH) {
            send(keeper, batcher, abis.batcher, 'liquidateMany', [market.address, ids.slice(i, i + BATCH)], BATCH_GAS);
          }
        }
        if (hasPending()) await mine(now);
      }
      if (day % progressEvery === 0 || day === days) {
        const open = markets.reduce((n, m) => n + m.openLoans().length, 0);
        options.onProgress?.(
          `day ${day}/${days} · BTC $${Math.round(btc).toLocaleString('en-US')} · loans opened ${summary.loansOpened}, open ${open} · events ${summary.totalEvents} · ${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      }
    };

    const payOrManage = (loan: LoanState, market: MarketModel, dues: Array<[bigint, bigint]>) => {
      const profile = profiles.get(loan.borrower) ?? 'punctual';
      const due = nextDueAt(loan);
      const interest = accruedInterest(loan, now);
      const installment = installmentAmount(loan);
      const remaining = loan.principalOutstanding;
      let paid = false;
      const pay = (principal: bigint) => {
        dues.push([loan.id, interest + (principal > remaining ? remaining : principal)]);
        paid = true;
      };
      const paidInstallments = Number((loan.principal - remaining) / (installment === 0n ? 1n : installment));
      switch (profile) {
        case 'punctual':
        case 'manager':
          if (now >= due - DAY) pay(installment);
          break;
        case 'early':
          if (now >= due - 5n * DAY) pay(random.chance(0.2) ? remaining : installment * 2n);
          break;
        case 'late':
          if (now >= due + loan.gracePeriod / 2n && now < due + loan.gracePeriod) pay(installment);
          break;
        case 'defaulter': {
          if (!defaultAfter.has(loan.id)) defaultAfter.set(loan.id, random.int(0, Number(loan.installmentCount) - 1));
          if (paidInstallments < (defaultAfter.get(loan.id) ?? 0) && now >= due - DAY) pay(installment);
          break;
        }
      }
      // Collateral moves only in blocks without a payment: a payment may close the loan first.
      if (!paid && (profile === 'manager' || random.chance(0.01))) {
        const ltv = ltvBps(debtOf(loan, now), market.value(loan.collateral));
        if (ltv > (loan.maxLtvBps * 9n) / 10n) {
          const target = market.collateralFor((debtOf(loan, now) * 10_000n) / 4_500n);
          if (target > loan.collateral) {
            send(loan.borrower, market.address, abis.market, 'depositCollateral', [loan.id, target - loan.collateral]);
          }
        } else if (profile === 'manager' && ltv < 2_500n) {
          // Withdraw down to a 40 % LTV, with margin for interest accrued before the block.
          const keep = market.collateralFor((debtOf(loan, now + DAY) * 10_000n) / 4_000n) + 1n;
          if (keep < loan.collateral) {
            send(loan.borrower, market.address, abis.market, 'withdrawCollateral', [loan.id, loan.collateral - keep]);
          }
        }
      }
    };

    const firstDay = Number((now - liquidityAt) / DAY) + 1;
    if (resumedFrom !== undefined) {
      options.onProgress?.(
        `resumed the simulation on the chain at day ${firstDay - 1}: ${markets.reduce((n, m) => n + m.openLoans().length, 0)} open loans`,
      );
    }
    for (let day = firstDay; day <= days; day += 1) {
      if (options.signal?.aborted) break;
      await step(day, DAY, 1, opensOn[day] ?? 0);
    }
    // Live mode: an hour of chain time every two seconds, a loan now and then.
    for (let tick = 1; options.live && !options.signal?.aborted; tick += 1) {
      await step(days + tick, 3_600n, 0.2, random.chance(0.3) ? 1 : 0);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  } finally {
    await rpc.call('evm_setAutomine', [true]).catch(() => undefined);
  }
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

function emptySummary(seed: number, days: number, markets: readonly MarketModel[]): SimulationSummary {
  return {
    seed,
    days,
    blocks: 0,
    seconds: 0,
    loansOpened: 0,
    loansRepaid: 0,
    liquidations: { price: 0, default: 0, withBadDebt: 0 },
    badDebt: Object.fromEntries(markets.map((m) => [m.deployment.name, '0'])),
    events: {},
    totalEvents: 0,
    failedTransactions: 0,
  };
}

interface RawLog {
  address: string;
  data: Hex;
  topics: [Hex, ...Hex[]];
}

export function formatSummary(summary: SimulationSummary): string {
  const lines = [
    `simulated ${summary.days} days (seed ${summary.seed}) in ${summary.seconds.toFixed(1)} s, ${summary.blocks} blocks`,
    `loans opened ${summary.loansOpened}, repaid ${summary.loansRepaid}, liquidated ${summary.liquidations.price} for PRICE and ${summary.liquidations.default} for DEFAULT (${summary.liquidations.withBadDebt} with bad debt)`,
    `bad debt (USDC units): ${Object.entries(summary.badDebt)
      .map(([market, amount]) => `${market} ${amount}`)
      .join(', ')}`,
    `events emitted: ${summary.totalEvents} (${Object.entries(summary.events)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, count]) => `${name} ${count}`)
      .join(', ')})`,
  ];
  if (summary.failedTransactions > 0) lines.push(`reverted transactions: ${summary.failedTransactions}`);
  return lines.join('\n');
}

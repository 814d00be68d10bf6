// The simulator's view of each market, kept exact by replaying the market's own events and
// using the contract's formulas (LoanMarket.sol) to decide what borrowers and the keeper do.
import type { Address } from 'viem';
import type { MarketDeployment } from '../deploy.js';

const BPS = 10_000n;
const YEAR = 365n * 86_400n;

export interface LoanState {
  id: bigint;
  market: MarketModel;
  borrower: Address;
  status: 'open' | 'repaid' | 'liquidated';
  collateral: bigint;
  principal: bigint;
  principalOutstanding: bigint;
  aprBps: bigint;
  installmentCount: bigint;
  installmentInterval: bigint;
  openedAt: bigint;
  lastPaymentAt: bigint;
  maxLtvBps: bigint;
  gracePeriod: bigint;
}

export class MarketModel {
  readonly loans = new Map<bigint, LoanState>();
  price: bigint;
  availableLiquidity = 0n;
  totalShares = 0n;
  totalPrincipalOutstanding = 0n;
  reserve = 0n;
  readonly sharesOf = new Map<Address, bigint>();
  private readonly valueNumerator: bigint;
  private readonly valueDenominator: bigint;

  constructor(
    readonly deployment: MarketDeployment,
    initialPrice: bigint,
    debtDecimals: number,
    feedDecimals: number,
  ) {
    this.price = initialPrice;
    const scaleIn = deployment.collateralDecimals + feedDecimals;
    this.valueNumerator = debtDecimals >= scaleIn ? 10n ** BigInt(debtDecimals - scaleIn) : 1n;
    this.valueDenominator = debtDecimals >= scaleIn ? 1n : 10n ** BigInt(scaleIn - debtDecimals);
  }

  get address(): Address {
    return this.deployment.address;
  }

  value(collateral: bigint, price = this.price): bigint {
    return (collateral * price * this.valueNumerator) / this.valueDenominator;
  }

  /** Collateral units worth `value` debt units at `price`, rounded down. */
  collateralFor(value: bigint, price = this.price): bigint {
    return (value * this.valueDenominator) / (price * this.valueNumerator);
  }

  lenderAssets(): bigint {
    return this.availableLiquidity + this.totalPrincipalOutstanding;
  }

  openLoans(): LoanState[] {
    return [...this.loans.values()].filter((loan) => loan.status === 'open');
  }
}

export function accruedInterest(loan: LoanState, now: bigint): bigint {
  return (loan.principalOutstanding * loan.aprBps * (now - loan.lastPaymentAt)) / (BPS * YEAR);
}

export function debtOf(loan: LoanState, now: bigint): bigint {
  return loan.principalOutstanding + accruedInterest(loan, now);
}

/** LTV in basis points, rounded up as the contract does. */
export function ltvBps(debt: bigint, value: bigint): bigint {
  if (value === 0n) return 2n ** 255n;
  return (debt * BPS + value - 1n) / value;
}

export function installmentAmount(loan: LoanState): bigint {
  return loan.principal / loan.installmentCount;
}

/** Due date of the first installment not fully paid; 0 once repaid (LoanMarket._nextDueAt). */
export function nextDueAt(loan: LoanState): bigint {
  if (loan.principalOutstanding === 0n) return 0n;
  const installment = installmentAmount(loan);
  let paid = installment === 0n ? 0n : (loan.principal - loan.principalOutstanding) / installment;
  if (paid >= loan.installmentCount) paid = loan.installmentCount - 1n;
  return loan.openedAt + (paid + 1n) * loan.installmentInterval;
}

/** Mirrors LoanMarket._liquidatable: PRICE first, then DEFAULT. */
export function liquidationReason(loan: LoanState, now: bigint): 'PRICE' | 'DEFAULT' | null {
  const market = loan.market;
  const liquidationLtv = BigInt(market.deployment.params.liquidationLtvBps);
  if (debtOf(loan, now) * BPS >= market.value(loan.collateral) * liquidationLtv) return 'PRICE';
  if (now > nextDueAt(loan) + loan.gracePeriod) return 'DEFAULT';
  return null;
}

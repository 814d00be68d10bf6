import { BigInt } from "@graphprotocol/graph-ts";
import { LoanOpened } from "../../../generated/templates/LoanMarket/LoanMarket";
import { Loan, LoanOpening } from "../../../generated/schema";
import { getOrCreateAccount } from "../../common/accounts";
import { ZERO } from "../../common/constants";
import { eventId, loanEntityId } from "../../common/ids";
import { refreshLoanRisk } from "../../common/loans";
import { loadMarket, revalueMarket } from "../../common/market";
import { toDecimal } from "../../common/math";
import { Activity, recordActivity } from "../../common/snapshots";

export function handleLoanOpened(event: LoanOpened): void {
  let p = event.params;
  let market = loadMarket(event.address, event);
  // A feed's answers before the market existed are not indexed: the opening price stands in.
  if (market.latestPriceAt.equals(ZERO)) {
    market.latestPrice = p.price;
    market.latestPriceUSD = toDecimal(p.price, market.priceFeedDecimals);
  }
  let borrower = getOrCreateAccount(p.borrower);
  borrower.loanCount += 1;
  borrower.openLoanCount += 1;
  borrower.save();

  let loan = new Loan(loanEntityId(event.address, p.loanId));
  loan.market = market.id;
  loan.loanId = p.loanId;
  loan.borrower = borrower.id;
  loan.status = "OPEN";
  loan.collateralAmount = p.collateralAmount;
  loan.principal = p.principal;
  loan.principalOutstanding = p.principal;
  loan.interestPaid = ZERO;
  loan.principalRepaid = ZERO;
  loan.aprBps = p.aprBps.toI32();
  loan.maxLtvBps = market.maxLtvBps;
  loan.reserveFactorBps = market.reserveFactorBps;
  loan.gracePeriod = market.gracePeriod;
  loan.installmentCount = p.installmentCount.toI32();
  loan.installmentInterval = p.installmentInterval;
  loan.installmentAmount = p.principal.div(p.installmentCount);
  loan.installmentsPaid = 0;
  loan.openedAt = event.block.timestamp;
  loan.openedAtBlock = event.block.number;
  loan.maturity = p.maturity;
  loan.nextDueAt = event.block.timestamp.plus(p.installmentInterval);
  loan.defaultsAt = (loan.nextDueAt as BigInt).plus(market.gracePeriod);
  loan.lastPaymentAt = event.block.timestamp;
  loan.debt = ZERO;
  refreshLoanRisk(loan, market, event, null);
  loan.save();

  let opening = new LoanOpening(eventId(event));
  opening.loan = loan.id;
  opening.market = market.id;
  opening.borrower = borrower.id;
  opening.collateralAmount = p.collateralAmount;
  opening.principal = p.principal;
  opening.aprBps = loan.aprBps;
  opening.installmentCount = loan.installmentCount;
  opening.installmentInterval = p.installmentInterval;
  opening.maturity = p.maturity;
  opening.price = p.price;
  opening.ltvBps = loan.ltvBps;
  opening.blockNumber = event.block.number;
  opening.timestamp = event.block.timestamp;
  opening.transactionHash = event.transaction.hash;
  opening.save();

  market.totalCollateral = market.totalCollateral.plus(p.collateralAmount);
  market.totalPrincipalOutstanding = market.totalPrincipalOutstanding.plus(p.principal);
  market.availableLiquidity = market.availableLiquidity.minus(p.principal);
  market.cumulativeBorrowed = market.cumulativeBorrowed.plus(p.principal);
  market.loanCount += 1;
  market.openLoanCount += 1;
  let protocol = revalueMarket(market, event);
  protocol.loanCount += 1;
  protocol.openLoanCount += 1;
  protocol.cumulativeBorrowedUSD = protocol.cumulativeBorrowedUSD.plus(toDecimal(p.principal, market.debtDecimals));
  protocol.save();

  let activity = new Activity();
  activity.newLoans = 1;
  activity.newLoanVolume = p.principal;
  recordActivity(market, protocol, event, activity);
}

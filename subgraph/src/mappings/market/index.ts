export { handleBorrowerApprovalSet } from "./borrower-approval-set";
export { handleCollateralDeposited, handleCollateralWithdrawn } from "./collateral";
export { handleLiquiditySupplied, handleLiquidityWithdrawn } from "./liquidity";
export { handleLoanClosed } from "./loan-closed";
export { handleLoanLiquidated } from "./loan-liquidated";
export { handleLoanOpened } from "./loan-opened";
export { handleLoanRepaid } from "./loan-repaid";
export { handleRiskParamsUpdated } from "./risk-params-updated";

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IPriceFeed} from "./IPriceFeed.sol";
import {RiskParams} from "./RiskParams.sol";

/// @title LoanMarket
/// @notice Fixed-term loans in a debt token (USD stablecoin) against BTC collateral, for approved
/// borrowers, funded by lenders' liquidity. See PROTOCOL.md for the lifecycle.
/// @dev Accounting, all in the tokens' smallest units:
/// - Lenders' assets = `availableLiquidity` + `totalPrincipalOutstanding`. Shares are minted and
///   burnt at that ratio (first supply 1:1), rounding in the market's favour.
/// - Interest is simple, per second, on principal outstanding since the last payment:
///   `principalOutstanding * aprBps * elapsed / (10_000 * 365 days)`, rounded down.
/// - A payment must cover the accrued interest; `reserveFactorBps` of the interest (rounded down)
///   goes to the reserve, the rest of the payment to available liquidity.
/// - A liquidation adds `debtRepaid + reserveCovered` to available liquidity; the reserve pays
///   `reserveCovered = min(reserve, badDebt)`; lenders absorb `badDebt - reserveCovered`.
contract LoanMarket is AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    bytes32 public constant RISK_ROLE = keccak256("RISK_ROLE");

    uint256 private constant BPS = 10_000;
    uint256 private constant YEAR = 365 days;

    enum Status {
        OPEN,
        REPAID,
        LIQUIDATED
    }

    enum LiquidationReason {
        PRICE,
        DEFAULT
    }

    struct Loan {
        address borrower;
        Status status;
        uint32 aprBps;
        uint16 maxLtvBps;
        uint16 reserveFactorBps;
        uint32 gracePeriod;
        uint32 installmentCount;
        uint64 installmentInterval;
        uint64 openedAt;
        uint64 maturity;
        uint64 lastPaymentAt;
        uint256 collateralAmount;
        uint256 principal;
        uint256 principalOutstanding;
    }

    event RiskParamsUpdated(
        uint16 maxLtvBps,
        uint16 liquidationLtvBps,
        uint16 liquidationPenaltyBps,
        uint16 reserveFactorBps,
        uint32 aprBps,
        uint32 gracePeriod
    );
    event BorrowerApprovalSet(address indexed borrower, bool approved);
    event LiquiditySupplied(address indexed lender, uint256 assets, uint256 shares);
    event LiquidityWithdrawn(address indexed lender, uint256 assets, uint256 shares);
    event LoanOpened(
        uint256 indexed loanId,
        address indexed borrower,
        uint256 collateralAmount,
        uint256 principal,
        uint32 aprBps,
        uint32 installmentCount,
        uint64 installmentInterval,
        uint64 maturity,
        int256 price
    );
    event CollateralDeposited(uint256 indexed loanId, address indexed from, uint256 amount, uint256 collateralAfter);
    event CollateralWithdrawn(uint256 indexed loanId, address indexed to, uint256 amount, uint256 collateralAfter);
    event LoanRepaid(
        uint256 indexed loanId,
        address indexed payer,
        uint256 amount,
        uint256 interestPaid,
        uint256 principalPaid,
        uint256 principalOutstanding,
        uint64 nextDueAt
    );
    event LoanClosed(uint256 indexed loanId, uint256 collateralReturned);
    event LoanLiquidated(
        uint256 indexed loanId,
        address indexed liquidator,
        uint8 reason,
        uint256 debtRepaid,
        uint256 collateralSeized,
        uint256 collateralReturned,
        uint256 badDebt,
        uint256 reserveCovered,
        int256 price
    );

    error BorrowerNotApproved(address borrower);
    error InvalidRiskParams(string why);
    error InvalidAmount();
    error InvalidSchedule(string why);
    error LtvTooHigh(uint256 ltvBps, uint256 maxLtvBps);
    error StalePrice(uint256 updatedAt, uint256 maxAge);
    error InvalidPrice(int256 price);
    error InsufficientLiquidity(uint256 requested, uint256 available);
    error InsufficientShares(uint256 requested, uint256 owned);
    error UnknownLoan(uint256 loanId);
    error LoanNotOpen(uint256 loanId, Status status);
    error NotBorrower(uint256 loanId, address caller);
    error PaymentBelowInterest(uint256 amount, uint256 interestDue);
    error NotLiquidatable(uint256 loanId);

    IERC20 public immutable collateralToken;
    IERC20 public immutable debtToken;
    IPriceFeed public immutable priceFeed;
    /// @notice Price answers older than this many seconds are refused.
    uint256 public immutable maxPriceAge;
    /// @dev value(debt units) = collateral * price * valueNumerator / valueDenominator.
    uint256 private immutable valueNumerator;
    uint256 private immutable valueDenominator;

    RiskParams public riskParams;

    mapping(address => bool) public approvedBorrower;
    mapping(address => uint256) public sharesOf;
    uint256 public totalShares;
    uint256 public availableLiquidity;
    uint256 public reserveBalance;
    uint256 public totalCollateral;
    uint256 public totalPrincipalOutstanding;
    uint256 public totalBadDebt;
    uint256 public loanCount;
    mapping(uint256 => Loan) private _loans;

    constructor(
        address collateralToken_,
        address debtToken_,
        address priceFeed_,
        RiskParams memory params,
        uint256 maxPriceAge_,
        address admin
    ) {
        collateralToken = IERC20(collateralToken_);
        debtToken = IERC20(debtToken_);
        priceFeed = IPriceFeed(priceFeed_);
        maxPriceAge = maxPriceAge_;
        uint256 scaleIn = uint256(IERC20Metadata(collateralToken_).decimals()) + priceFeed.decimals();
        uint256 scaleOut = IERC20Metadata(debtToken_).decimals();
        valueNumerator = scaleOut >= scaleIn ? 10 ** (scaleOut - scaleIn) : 1;
        valueDenominator = scaleOut >= scaleIn ? 1 : 10 ** (scaleIn - scaleOut);
        _validate(params);
        riskParams = params;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(COMPLIANCE_ROLE, admin);
        _grantRole(RISK_ROLE, admin);
    }

    // ----- governance and compliance -----

    function setRiskParams(RiskParams calldata params) external onlyRole(RISK_ROLE) {
        _validate(params);
        riskParams = params;
        emit RiskParamsUpdated(
            params.maxLtvBps,
            params.liquidationLtvBps,
            params.liquidationPenaltyBps,
            params.reserveFactorBps,
            params.aprBps,
            params.gracePeriod
        );
    }

    function setBorrowerApproval(address borrower, bool approved) external onlyRole(COMPLIANCE_ROLE) {
        approvedBorrower[borrower] = approved;
        emit BorrowerApprovalSet(borrower, approved);
    }

    // ----- lenders -----

    function totalLenderAssets() public view returns (uint256) {
        return availableLiquidity + totalPrincipalOutstanding;
    }

    function supply(uint256 assets) external nonReentrant returns (uint256 shares) {
        if (assets == 0) revert InvalidAmount();
        uint256 assetsBefore = totalLenderAssets();
        shares = totalShares == 0 || assetsBefore == 0 ? assets : Math.mulDiv(assets, totalShares, assetsBefore);
        if (shares == 0) revert InvalidAmount();
        debtToken.safeTransferFrom(msg.sender, address(this), assets);
        availableLiquidity += assets;
        totalShares += shares;
        sharesOf[msg.sender] += shares;
        emit LiquiditySupplied(msg.sender, assets, shares);
    }

    function withdraw(uint256 shares) external nonReentrant returns (uint256 assets) {
        uint256 owned = sharesOf[msg.sender];
        if (shares == 0) revert InvalidAmount();
        if (shares > owned) revert InsufficientShares(shares, owned);
        assets = Math.mulDiv(shares, totalLenderAssets(), totalShares);
        if (assets > availableLiquidity) revert InsufficientLiquidity(assets, availableLiquidity);
        sharesOf[msg.sender] = owned - shares;
        totalShares -= shares;
        availableLiquidity -= assets;
        debtToken.safeTransfer(msg.sender, assets);
        emit LiquidityWithdrawn(msg.sender, assets, shares);
    }

    // ----- borrowers -----

    function openLoan(uint256 collateralAmount, uint256 principal, uint32 installmentCount, uint64 installmentInterval)
        external
        nonReentrant
        returns (uint256 loanId)
    {
        if (!approvedBorrower[msg.sender]) revert BorrowerNotApproved(msg.sender);
        if (collateralAmount == 0 || principal == 0) revert InvalidAmount();
        if (installmentCount == 0 || installmentCount > 360) revert InvalidSchedule("installmentCount must be 1..360");
        if (installmentInterval < 1 hours || installmentInterval > 365 days) {
            revert InvalidSchedule("installmentInterval must be 1 hour..365 days");
        }
        if (principal > availableLiquidity) revert InsufficientLiquidity(principal, availableLiquidity);
        RiskParams memory params = riskParams;
        int256 price = _freshPrice();
        uint256 ltv = _ltvBps(principal, collateralAmount, price);
        if (ltv > params.maxLtvBps) revert LtvTooHigh(ltv, params.maxLtvBps);

        loanId = ++loanCount;
        uint64 nowTs = uint64(block.timestamp);
        uint64 maturity = nowTs + uint64(installmentCount) * installmentInterval;
        _loans[loanId] = Loan({
            borrower: msg.sender,
            status: Status.OPEN,
            aprBps: params.aprBps,
            maxLtvBps: params.maxLtvBps,
            reserveFactorBps: params.reserveFactorBps,
            gracePeriod: params.gracePeriod,
            installmentCount: installmentCount,
            installmentInterval: installmentInterval,
            openedAt: nowTs,
            maturity: maturity,
            lastPaymentAt: nowTs,
            collateralAmount: collateralAmount,
            principal: principal,
            principalOutstanding: principal
        });
        totalCollateral += collateralAmount;
        totalPrincipalOutstanding += principal;
        availableLiquidity -= principal;
        collateralToken.safeTransferFrom(msg.sender, address(this), collateralAmount);
        debtToken.safeTransfer(msg.sender, principal);
        emit LoanOpened(
            loanId, msg.sender, collateralAmount, principal, params.aprBps, installmentCount, installmentInterval, maturity, price
        );
    }

    function depositCollateral(uint256 loanId, uint256 amount) external nonReentrant {
        Loan storage loan = _openLoan(loanId);
        if (amount == 0) revert InvalidAmount();
        loan.collateralAmount += amount;
        totalCollateral += amount;
        collateralToken.safeTransferFrom(msg.sender, address(this), amount);
        emit CollateralDeposited(loanId, msg.sender, amount, loan.collateralAmount);
    }

    function withdrawCollateral(uint256 loanId, uint256 amount) external nonReentrant {
        Loan storage loan = _openLoan(loanId);
        if (msg.sender != loan.borrower) revert NotBorrower(loanId, msg.sender);
        if (amount == 0 || amount >= loan.collateralAmount) revert InvalidAmount();
        uint256 collateralAfter = loan.collateralAmount - amount;
        uint256 ltv = _ltvBps(_debt(loan), collateralAfter, _freshPrice());
        if (ltv > loan.maxLtvBps) revert LtvTooHigh(ltv, loan.maxLtvBps);
        loan.collateralAmount = collateralAfter;
        totalCollateral -= amount;
        collateralToken.safeTransfer(msg.sender, amount);
        emit CollateralWithdrawn(loanId, msg.sender, amount, collateralAfter);
    }

    /// @notice Pays accrued interest first, then principal; anyone may pay for a loan. Amounts above
    /// the debt are capped at the debt.
    function repay(uint256 loanId, uint256 amount) external nonReentrant {
        Loan storage loan = _openLoan(loanId);
        uint256 interestDue = _accruedInterest(loan);
        if (amount == 0 || amount < interestDue) revert PaymentBelowInterest(amount, interestDue);
        uint256 principalPaid = Math.min(amount - interestDue, loan.principalOutstanding);
        uint256 paid = interestDue + principalPaid;
        uint256 reserveCut = interestDue * loan.reserveFactorBps / BPS;

        loan.principalOutstanding -= principalPaid;
        loan.lastPaymentAt = uint64(block.timestamp);
        totalPrincipalOutstanding -= principalPaid;
        reserveBalance += reserveCut;
        availableLiquidity += paid - reserveCut;
        debtToken.safeTransferFrom(msg.sender, address(this), paid);
        emit LoanRepaid(loanId, msg.sender, paid, interestDue, principalPaid, loan.principalOutstanding, _nextDueAt(loan));

        if (loan.principalOutstanding == 0) {
            uint256 collateral = loan.collateralAmount;
            loan.status = Status.REPAID;
            loan.collateralAmount = 0;
            totalCollateral -= collateral;
            collateralToken.safeTransfer(loan.borrower, collateral);
            emit LoanClosed(loanId, collateral);
        }
    }

    // ----- keepers -----

    function liquidate(uint256 loanId) external nonReentrant {
        Loan storage loan = _openLoan(loanId);
        int256 price = _freshPrice();
        (bool can, LiquidationReason reason) = _liquidatable(loan, price);
        if (!can) revert NotLiquidatable(loanId);
        Settlement memory s = _settle(loan, price);

        totalPrincipalOutstanding -= loan.principalOutstanding;
        totalCollateral -= loan.collateralAmount;
        totalBadDebt += s.badDebt;
        reserveBalance -= s.reserveCovered;
        availableLiquidity += s.debtRepaid + s.reserveCovered;
        loan.status = Status.LIQUIDATED;
        loan.principalOutstanding = 0;
        loan.collateralAmount = 0;
        loan.lastPaymentAt = uint64(block.timestamp);

        if (s.debtRepaid > 0) debtToken.safeTransferFrom(msg.sender, address(this), s.debtRepaid);
        collateralToken.safeTransfer(msg.sender, s.seized);
        if (s.returned > 0) collateralToken.safeTransfer(loan.borrower, s.returned);
        emit LoanLiquidated(
            loanId, msg.sender, uint8(reason), s.debtRepaid, s.seized, s.returned, s.badDebt, s.reserveCovered, price
        );
    }

    struct Settlement {
        uint256 debtRepaid;
        uint256 seized;
        uint256 returned;
        uint256 badDebt;
        uint256 reserveCovered;
    }

    /// @dev The liquidator receives collateral worth debt x (1 + penalty) at the feed price
    /// (rounded down). When the collateral is worth less, the liquidator takes all of it and pays
    /// its value discounted by the penalty; the shortfall is bad debt.
    function _settle(Loan storage loan, int256 price) private view returns (Settlement memory s) {
        uint256 debt = _debt(loan);
        uint256 collateral = loan.collateralAmount;
        uint256 penaltyBps = riskParams.liquidationPenaltyBps;
        uint256 toSeize = _collateralFor(debt * (BPS + penaltyBps) / BPS, price);
        if (toSeize <= collateral) {
            s.seized = toSeize;
            s.debtRepaid = debt;
        } else {
            s.seized = collateral;
            s.debtRepaid = _value(collateral, price) * BPS / (BPS + penaltyBps);
            s.badDebt = debt - s.debtRepaid;
        }
        s.returned = collateral - s.seized;
        s.reserveCovered = Math.min(reserveBalance, s.badDebt);
    }

    // ----- views -----

    function getLoan(uint256 loanId)
        external
        view
        returns (
            address borrower,
            uint8 status,
            uint256 collateralAmount,
            uint256 principal,
            uint256 principalOutstanding,
            uint32 aprBps,
            uint64 openedAt,
            uint64 maturity,
            uint64 nextDueAt
        )
    {
        Loan storage loan = _existingLoan(loanId);
        return (
            loan.borrower,
            uint8(loan.status),
            loan.collateralAmount,
            loan.principal,
            loan.principalOutstanding,
            loan.aprBps,
            loan.openedAt,
            loan.maturity,
            _nextDueAt(loan)
        );
    }

    /// @notice The loan's schedule and per-loan terms, beyond `getLoan`.
    function getLoanTerms(uint256 loanId)
        external
        view
        returns (
            uint32 installmentCount,
            uint64 installmentInterval,
            uint16 maxLtvBps,
            uint16 reserveFactorBps,
            uint32 gracePeriod,
            uint64 lastPaymentAt
        )
    {
        Loan storage loan = _existingLoan(loanId);
        return (
            loan.installmentCount,
            loan.installmentInterval,
            loan.maxLtvBps,
            loan.reserveFactorBps,
            loan.gracePeriod,
            loan.lastPaymentAt
        );
    }

    function debtOf(uint256 loanId) external view returns (uint256) {
        Loan storage loan = _existingLoan(loanId);
        return loan.status == Status.OPEN ? _debt(loan) : 0;
    }

    function liquidatable(uint256 loanId) external view returns (bool, uint8) {
        Loan storage loan = _existingLoan(loanId);
        if (loan.status != Status.OPEN) return (false, 0);
        (, int256 price,,,) = priceFeed.latestRoundData();
        (bool can, LiquidationReason reason) = _liquidatable(loan, price);
        return (can, uint8(reason));
    }

    // ----- internals -----

    function _validate(RiskParams memory p) private pure {
        if (p.maxLtvBps == 0 || p.maxLtvBps >= p.liquidationLtvBps) {
            revert InvalidRiskParams("maxLtvBps must be above 0 and below liquidationLtvBps");
        }
        if (p.liquidationLtvBps >= BPS) revert InvalidRiskParams("liquidationLtvBps must be below 10000");
        if (p.liquidationPenaltyBps > 5_000) revert InvalidRiskParams("liquidationPenaltyBps must be at most 5000");
        if (p.reserveFactorBps > 5_000) revert InvalidRiskParams("reserveFactorBps must be at most 5000");
        if (p.aprBps > 100_000) revert InvalidRiskParams("aprBps must be at most 100000");
    }

    function _existingLoan(uint256 loanId) private view returns (Loan storage loan) {
        if (loanId == 0 || loanId > loanCount) revert UnknownLoan(loanId);
        loan = _loans[loanId];
    }

    function _openLoan(uint256 loanId) private view returns (Loan storage loan) {
        loan = _existingLoan(loanId);
        if (loan.status != Status.OPEN) revert LoanNotOpen(loanId, loan.status);
    }

    function _freshPrice() private view returns (int256 price) {
        uint256 updatedAt;
        (, price,, updatedAt,) = priceFeed.latestRoundData();
        if (price <= 0) revert InvalidPrice(price);
        if (block.timestamp > updatedAt + maxPriceAge) revert StalePrice(updatedAt, maxPriceAge);
    }

    function _accruedInterest(Loan storage loan) private view returns (uint256) {
        uint256 elapsed = block.timestamp - loan.lastPaymentAt;
        return loan.principalOutstanding * loan.aprBps * elapsed / (BPS * YEAR);
    }

    function _debt(Loan storage loan) private view returns (uint256) {
        return loan.principalOutstanding + _accruedInterest(loan);
    }

    function _value(uint256 collateral, int256 price) private view returns (uint256) {
        return collateral * uint256(price) * valueNumerator / valueDenominator;
    }

    function _collateralFor(uint256 value, int256 price) private view returns (uint256) {
        return value * valueDenominator / (uint256(price) * valueNumerator);
    }

    function _ltvBps(uint256 debt, uint256 collateral, int256 price) private view returns (uint256) {
        uint256 value = _value(collateral, price);
        if (value == 0) return type(uint256).max;
        return Math.mulDiv(debt, BPS, value, Math.Rounding.Ceil);
    }

    /// @dev Due date of the first installment not fully paid; 0 once the principal is repaid.
    /// Installments are equal shares of the principal; the last one takes the remainder.
    function _nextDueAt(Loan storage loan) private view returns (uint64) {
        if (loan.principalOutstanding == 0) return 0;
        uint256 installment = loan.principal / loan.installmentCount;
        uint256 paidInstallments = installment == 0 ? 0 : (loan.principal - loan.principalOutstanding) / installment;
        if (paidInstallments >= loan.installmentCount) paidInstallments = loan.installmentCount - 1;
        return loan.openedAt + uint64(paidInstallments + 1) * loan.installmentInterval;
    }

    function _liquidatable(Loan storage loan, int256 price) private view returns (bool, LiquidationReason) {
        if (price > 0) {
            uint256 debt = _debt(loan);
            uint256 value = _value(loan.collateralAmount, price);
            if (debt * BPS >= value * riskParams.liquidationLtvBps) return (true, LiquidationReason.PRICE);
        }
        if (block.timestamp > uint256(_nextDueAt(loan)) + loan.gracePeriod) return (true, LiquidationReason.DEFAULT);
        return (false, LiquidationReason.PRICE);
    }
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice A market's risk parameters. The liquidation threshold and penalty apply to every loan;
/// the others are fixed into each loan when it opens.
struct RiskParams {
    uint16 maxLtvBps;
    uint16 liquidationLtvBps;
    uint16 liquidationPenaltyBps;
    uint16 reserveFactorBps;
    uint32 aprBps;
    uint32 gracePeriod;
}

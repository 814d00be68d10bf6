// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {LoanMarket} from "./LoanMarket.sol";

/// @notice Simulation helper only (never deployed by `pnpm deploy:local`): pays many loans' dues,
/// or liquidates many loans, in one transaction, so the simulator produces events faster than one
/// transaction per event allows. It is the payer / liquidator of record for what it does; an item
/// that reverts is reported with `BatchItemFailed` and does not stop the others.
contract SimBatcher {
    event BatchItemFailed(address indexed market, uint256 indexed loanId, bytes reason);

    constructor(address debtToken, address[] memory markets) {
        for (uint256 i = 0; i < markets.length; i++) {
            IERC20(debtToken).approve(markets[i], type(uint256).max);
        }
    }

    function repayMany(LoanMarket market, uint256[] calldata loanIds, uint256[] calldata amounts) external {
        for (uint256 i = 0; i < loanIds.length; i++) {
            try market.repay(loanIds[i], amounts[i]) {}
            catch (bytes memory reason) {
                emit BatchItemFailed(address(market), loanIds[i], reason);
            }
        }
    }

    function liquidateMany(LoanMarket market, uint256[] calldata loanIds) external {
        for (uint256 i = 0; i < loanIds.length; i++) {
            try market.liquidate(loanIds[i]) {}
            catch (bytes memory reason) {
                emit BatchItemFailed(address(market), loanIds[i], reason);
            }
        }
    }
}

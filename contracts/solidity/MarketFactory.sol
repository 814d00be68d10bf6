// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IPriceFeed} from "./IPriceFeed.sol";
import {LoanMarket} from "./LoanMarket.sol";
import {RiskParams} from "./RiskParams.sol";

/// @notice Governance creates one LoanMarket per collateral/debt/feed combination.
contract MarketFactory is Ownable {
    event MarketCreated(
        address indexed market,
        address indexed collateralToken,
        address indexed debtToken,
        address priceFeed,
        uint16 maxLtvBps,
        uint16 liquidationLtvBps,
        uint16 liquidationPenaltyBps,
        uint16 reserveFactorBps,
        uint32 aprBps,
        uint32 gracePeriod
    );
    /// @notice Token and feed metadata, so that indexers need no contract calls.
    event MarketMetadata(
        address indexed market,
        string collateralSymbol,
        uint8 collateralDecimals,
        string debtSymbol,
        uint8 debtDecimals,
        string priceFeedDescription,
        uint8 priceFeedDecimals
    );

    error UnknownMarket(uint256 index);

    address[] private _markets;

    constructor(address owner_) Ownable(owner_) {}

    function createMarket(
        address collateralToken,
        address debtToken,
        address priceFeed,
        RiskParams calldata params,
        uint256 maxPriceAge
    ) external onlyOwner returns (address market) {
        market = address(new LoanMarket(collateralToken, debtToken, priceFeed, params, maxPriceAge, owner()));
        _markets.push(market);
        emit MarketCreated(
            market,
            collateralToken,
            debtToken,
            priceFeed,
            params.maxLtvBps,
            params.liquidationLtvBps,
            params.liquidationPenaltyBps,
            params.reserveFactorBps,
            params.aprBps,
            params.gracePeriod
        );
        emit MarketMetadata(
            market,
            IERC20Metadata(collateralToken).symbol(),
            IERC20Metadata(collateralToken).decimals(),
            IERC20Metadata(debtToken).symbol(),
            IERC20Metadata(debtToken).decimals(),
            IPriceFeed(priceFeed).description(),
            IPriceFeed(priceFeed).decimals()
        );
    }

    function marketCount() external view returns (uint256) {
        return _markets.length;
    }

    function markets(uint256 index) external view returns (address) {
        if (index >= _markets.length) revert UnknownMarket(index);
        return _markets[index];
    }
}

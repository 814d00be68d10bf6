// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IPriceFeed} from "./IPriceFeed.sol";

/// @notice Chainlink-compatible aggregator for local chains: an operator pushes answers, and every
/// push emits Chainlink's own `AnswerUpdated` (and `NewRound`) events.
contract MockPriceFeed is IPriceFeed, Ownable {
    event AnswerUpdated(int256 indexed current, uint256 indexed roundId, uint256 updatedAt);
    event NewRound(uint256 indexed roundId, address indexed startedBy, uint256 startedAt);

    error NonPositiveAnswer(int256 answer);
    error UnknownRound(uint80 roundId);

    uint8 public immutable override decimals;
    string public override description;
    uint256 public constant version = 4;

    struct Round {
        int256 answer;
        uint256 updatedAt;
    }

    uint80 public latestRound;
    mapping(uint80 => Round) private _rounds;

    constructor(uint8 decimals_, string memory description_, int256 initialAnswer, address owner_) Ownable(owner_) {
        decimals = decimals_;
        description = description_;
        _push(initialAnswer);
    }

    function updateAnswer(int256 answer) external onlyOwner {
        _push(answer);
    }

    function latestAnswer() external view returns (int256) {
        return _rounds[latestRound].answer;
    }

    function latestTimestamp() external view returns (uint256) {
        return _rounds[latestRound].updatedAt;
    }

    function latestRoundData()
        external
        view
        override
        returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        return getRoundData(latestRound);
    }

    function getRoundData(uint80 roundId)
        public
        view
        returns (uint80, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound)
    {
        Round memory round = _rounds[roundId];
        if (round.updatedAt == 0) revert UnknownRound(roundId);
        return (roundId, round.answer, round.updatedAt, round.updatedAt, roundId);
    }

    function _push(int256 answer) private {
        if (answer <= 0) revert NonPositiveAnswer(answer);
        uint80 roundId = latestRound + 1;
        latestRound = roundId;
        _rounds[roundId] = Round(answer, block.timestamp);
        emit NewRound(roundId, msg.sender, block.timestamp);
        emit AnswerUpdated(answer, roundId, block.timestamp);
    }
}

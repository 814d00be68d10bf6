// Hardhat 2 is used only for its EDR JSON-RPC node (`pnpm chain`); contracts compile with solc-js.
// Mempool order is FIFO so that the simulator's batched blocks are deterministic.
const accountCount = Number(process.env.CHAIN_ACCOUNTS ?? 120);
module.exports = {
  networks: {
    hardhat: {
      chainId: Number(process.env.CHAIN_ID ?? 31337),
      accounts: { count: accountCount, accountsBalance: '1000000000000000000000000' },
      blockGasLimit: 1_000_000_000,
      mining: { auto: true, mempool: { order: 'fifo' } },
      allowBlocksWithSameTimestamp: true,
      // A resumed chain's genesis block must carry the recorded timestamp (its hash depends on it).
      ...(process.env.CHAIN_INITIAL_DATE ? { initialDate: process.env.CHAIN_INITIAL_DATE } : {}),
    },
  },
};

// A deployed protocol on a fresh EDR chain, with typed helpers to act as any unlocked account.
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  decodeEventLog,
  defineChain,
  type Hex,
  http,
  maxUint256,
  type PublicClient,
  type TransactionReceipt,
} from 'viem';
import { type LocalChain, startChain } from '../src/chain.js';
import { loadArtifact } from '../src/compile.js';
import { type Deployment, deploy } from '../src/deploy.js';
import { JsonRpc } from '../src/simulate/rpc.js';

export const abis = {
  market: loadArtifact('LoanMarket').abi,
  factory: loadArtifact('MarketFactory').abi,
  token: loadArtifact('TestToken').abi,
  feed: loadArtifact('MockPriceFeed').abi,
};

export interface Protocol {
  chain: LocalChain;
  deployment: Deployment;
  client: PublicClient;
  rpc: JsonRpc;
  accounts: Address[];
  write(
    from: Address,
    to: Address,
    abi: Abi,
    functionName: string,
    args?: readonly unknown[],
  ): Promise<TransactionReceipt>;
  read<T>(to: Address, abi: Abi, functionName: string, args?: readonly unknown[]): Promise<T>;
  /** Error name of the custom error the call reverts with. */
  revertOf(from: Address, to: Address, abi: Abi, functionName: string, args?: readonly unknown[]): Promise<string>;
  events(receipt: TransactionReceipt, abi?: Abi): Array<{ eventName: string; args: Record<string, unknown> }>;
  setTime(timestamp: bigint): Promise<void>;
  now(): Promise<bigint>;
  stop(): Promise<void>;
}

export async function startProtocol(): Promise<Protocol> {
  const chain = await startChain({ accounts: 30 });
  try {
    const deployment = await deploy({ rpc: chain.rpc, network: 'test', write: false });
    const viemChain = defineChain({
      id: chain.chainId,
      name: 'test',
      nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
      rpcUrls: { default: { http: [chain.rpc] } },
    });
    const transport = http(chain.rpc, { retryCount: 0 });
    const client = createPublicClient({ chain: viemChain, transport });
    const rpc = new JsonRpc(chain.rpc);
    const accounts = (await rpc.call<Address[]>('eth_accounts')).map((a) => a.toLowerCase() as Address);
    const write: Protocol['write'] = async (from, to, abi, functionName, args = []) => {
      const wallet = createWalletClient({ chain: viemChain, transport, account: from });
      const hash = await wallet.writeContract({ address: to, abi, functionName, args, account: from, gas: 3_000_000n });
      const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 20 });
      if (receipt.status !== 'success') throw new Error(`${functionName} reverted`);
      return receipt;
    };
    const read = async <T>(to: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
      (await client.readContract({ address: to, abi, functionName, args })) as T;
    const revertOf: Protocol['revertOf'] = async (from, to, abi, functionName, args = []) => {
      try {
        await client.simulateContract({ address: to, abi, functionName, args, account: from });
      } catch (error) {
        const cause = (error as { cause?: { data?: { errorName?: string } } }).cause;
        return cause?.data?.errorName ?? `unrecognised: ${(error as Error).message.split('\n')[0]}`;
      }
      return 'no revert';
    };
    const events: Protocol['events'] = (receipt, abi = abis.market) =>
      receipt.logs.flatMap((log) => {
        try {
          return [decodeEventLog({ abi, data: log.data, topics: log.topics }) as never];
        } catch {
          return [];
        }
      });
    const setTime = async (timestamp: bigint) => {
      await rpc.call('evm_setNextBlockTimestamp', [Number(timestamp)]);
    };
    const now = async () =>
      BigInt((await rpc.call<{ timestamp: Hex }>('eth_getBlockByNumber', ['latest', false])).timestamp);
    return { chain, deployment, client, rpc, accounts, write, read, revertOf, events, setTime, now, stop: chain.stop };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/** Mints and approves what `account` needs to use `market` as a lender or a borrower. */
export async function fund(protocol: Protocol, account: Address, marketIndex = 0): Promise<void> {
  const market = protocol.deployment.markets[marketIndex];
  if (!market) throw new Error(`no market ${marketIndex}`);
  const governance = protocol.accounts[0] as Address;
  const usdc = protocol.deployment.tokens.USDC?.address as Address;
  await protocol.write(governance, usdc, abis.token, 'mint', [account, 100_000_000n * 10n ** 6n]);
  await protocol.write(governance, market.collateralToken, abis.token, 'mint', [
    account,
    1_000n * 10n ** BigInt(market.collateralDecimals),
  ]);
  await protocol.write(account, usdc, abis.token, 'approve', [market.address, maxUint256]);
  await protocol.write(account, market.collateralToken, abis.token, 'approve', [market.address, maxUint256]);
}

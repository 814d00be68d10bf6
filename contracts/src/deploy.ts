// Deploys the reference protocol: tokens, Chainlink-compatible feeds, the factory and two markets
// with different risk parameters. Writes `deployments/<network>.json` and the network's entry in
// `subgraph/networks.json` (the factory is the subgraph's only static data source).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Address, createPublicClient, createWalletClient, defineChain, http, parseEventLogs } from 'viem';
import { loadArtifact } from './compile.js';
import { JsonRpc } from './simulate/rpc.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
export const deploymentsDir = join(packageDir, 'deployments');
export const networksFile = join(packageDir, '..', 'subgraph', 'networks.json');

export interface RiskParams {
  maxLtvBps: number;
  liquidationLtvBps: number;
  liquidationPenaltyBps: number;
  reserveFactorBps: number;
  aprBps: number;
  gracePeriod: number;
}

export interface MarketDeployment {
  name: string;
  address: Address;
  collateralToken: Address;
  collateralSymbol: string;
  collateralDecimals: number;
  debtToken: Address;
  priceFeed: Address;
  params: RiskParams;
  maxPriceAge: number;
  startBlock: number;
}

export interface Deployment {
  network: string;
  chainId: number;
  rpc: string;
  deployer: Address;
  factory: { address: Address; startBlock: number };
  tokens: Record<string, { address: Address; decimals: number }>;
  feeds: Record<string, { address: Address; decimals: number }>;
  markets: MarketDeployment[];
}

const MARKETS = [
  {
    name: 'WBTC/USDC',
    collateral: { symbol: 'WBTC', name: 'Wrapped BTC', decimals: 8 },
    feed: { description: 'BTC / USD', initialPrice: 65_000_00000000n },
    params: {
      maxLtvBps: 6500,
      liquidationLtvBps: 8000,
      liquidationPenaltyBps: 500,
      reserveFactorBps: 1000,
      aprBps: 900,
      gracePeriod: 3 * 86_400,
    },
  },
  {
    name: 'tBTC/USDC',
    collateral: { symbol: 'tBTC', name: 'tBTC v2', decimals: 18 },
    feed: { description: 'tBTC / USD', initialPrice: 64_900_00000000n },
    params: {
      maxLtvBps: 6000,
      liquidationLtvBps: 7500,
      liquidationPenaltyBps: 800,
      reserveFactorBps: 1500,
      aprBps: 1100,
      gracePeriod: 2 * 86_400,
    },
  },
] as const;
const MAX_PRICE_AGE = 2 * 86_400;
const FEED_DECIMALS = 8;

export interface DeployOptions {
  rpc: string;
  network?: string;
  /** Write deployments/<network>.json and subgraph/networks.json (default true). */
  write?: boolean;
}

export async function deploy(options: DeployOptions): Promise<Deployment> {
  const network = options.network ?? 'localhost';
  const transport = http(options.rpc, { timeout: 60_000 });
  const probe = createPublicClient({ transport });
  const chainId = await probe.getChainId();
  const chain = defineChain({
    id: chainId,
    name: network,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpc] } },
  });
  const client = createPublicClient({ chain, transport });
  const [deployer] = await new JsonRpc(options.rpc).call<Address[]>('eth_accounts');
  if (!deployer) throw new Error(`the node at ${options.rpc} has no unlocked account to deploy from`);
  const wallet = createWalletClient({ chain, transport, account: deployer });

  const deployContract = async (contractName: string, args: unknown[]) => {
    const artifact = loadArtifact(contractName);
    const hash = await wallet.deployContract({
      abi: artifact.abi,
      bytecode: artifact.bytecode,
      args,
      account: deployer,
    });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    if (!receipt.contractAddress || receipt.status !== 'success') throw new Error(`deploying ${contractName} failed`);
    return { address: receipt.contractAddress, block: Number(receipt.blockNumber) };
  };

  const usdc = await deployContract('TestToken', ['USD Coin', 'USDC', 6, deployer]);
  const tokens: Deployment['tokens'] = { USDC: { address: usdc.address, decimals: 6 } };
  const feeds: Deployment['feeds'] = {};
  const factory = await deployContract('MarketFactory', [deployer]);
  const factoryAbi = loadArtifact('MarketFactory').abi;
  const markets: MarketDeployment[] = [];
  for (const spec of MARKETS) {
    const token = await deployContract('TestToken', [
      spec.collateral.name,
      spec.collateral.symbol,
      spec.collateral.decimals,
      deployer,
    ]);
    tokens[spec.collateral.symbol] = { address: token.address, decimals: spec.collateral.decimals };
    const feed = await deployContract('MockPriceFeed', [
      FEED_DECIMALS,
      spec.feed.description,
      spec.feed.initialPrice,
      deployer,
    ]);
    feeds[spec.feed.description] = { address: feed.address, decimals: FEED_DECIMALS };
    const hash = await wallet.writeContract({
      address: factory.address,
      abi: factoryAbi,
      functionName: 'createMarket',
      args: [token.address, usdc.address, feed.address, spec.params, BigInt(MAX_PRICE_AGE)],
      account: deployer,
    });
    const receipt = await client.waitForTransactionReceipt({ hash, pollingInterval: 50 });
    const [created] = parseEventLogs({ abi: factoryAbi, logs: receipt.logs, eventName: 'MarketCreated' });
    const market = (created?.args as { market?: Address } | undefined)?.market;
    if (!market) throw new Error(`createMarket for ${spec.name} emitted no MarketCreated event`);
    markets.push({
      name: spec.name,
      address: market,
      collateralToken: token.address,
      collateralSymbol: spec.collateral.symbol,
      collateralDecimals: spec.collateral.decimals,
      debtToken: usdc.address,
      priceFeed: feed.address,
      params: { ...spec.params },
      maxPriceAge: MAX_PRICE_AGE,
      startBlock: Number(receipt.blockNumber),
    });
  }

  const deployment: Deployment = {
    network,
    chainId,
    rpc: options.rpc,
    deployer,
    factory: { address: factory.address, startBlock: factory.block },
    tokens,
    feeds,
    markets,
  };
  if (options.write !== false) writeDeployment(deployment);
  return deployment;
}

export function writeDeployment(deployment: Deployment): void {
  mkdirSync(deploymentsDir, { recursive: true });
  writeFileSync(join(deploymentsDir, `${deployment.network}.json`), `${JSON.stringify(deployment, null, 2)}\n`);
  const networks: Record<string, unknown> = existsSync(networksFile)
    ? JSON.parse(readFileSync(networksFile, 'utf8'))
    : {};
  networks[deployment.network] = {
    MarketFactory: { address: deployment.factory.address, startBlock: deployment.factory.startBlock },
  };
  writeFileSync(networksFile, `${JSON.stringify(networks, null, 2)}\n`);
}

/**
 * The deployment in deployments/<network>.json when the chain at `rpc` holds it (same chain id,
 * code at the factory and every market): networks.json is rewritten from it and it is returned.
 */
export async function reuseDeployment(rpc: string, network: string): Promise<Deployment | undefined> {
  if (!existsSync(join(deploymentsDir, `${network}.json`))) return undefined;
  const deployment = readDeployment(network);
  const client = new JsonRpc(rpc);
  const chainId = Number(await client.call<string>('eth_chainId'));
  const addresses = [deployment.factory.address, ...deployment.markets.map((m) => m.address)];
  const codes = await client.batch<string>(addresses.map((a) => ({ method: 'eth_getCode', params: [a, 'latest'] })));
  if (chainId !== deployment.chainId || codes.some((code) => code === '0x')) return undefined;
  writeDeployment(deployment);
  return deployment;
}

export function readDeployment(network: string): Deployment {
  const file = join(deploymentsDir, `${network}.json`);
  if (!existsSync(file)) throw new Error(`no deployment for network "${network}"; run \`pnpm deploy:local\` first.`);
  return JSON.parse(readFileSync(file, 'utf8'));
}

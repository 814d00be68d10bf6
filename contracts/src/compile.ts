/// <reference path="./solc.d.ts" />
// Compiles the Solidity sources offline with the pinned solc-js and writes
// `artifacts/<Contract>.json` (ABI + bytecode, gitignored) and the committed ABIs in `../abis/`.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import solc from 'solc';
import type { Abi, Hex } from 'viem';

export const SOLC_VERSION = '0.8.28';
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = join(packageDir, 'solidity');
export const artifactsDir = join(packageDir, 'artifacts');
export const abisDir = join(packageDir, '..', 'abis');
const require = createRequire(import.meta.url);

/** ABI file name in `abis/` → the contract whose ABI it holds. */
export const publishedAbis: Record<string, string> = {
  MarketFactory: 'MarketFactory',
  LoanMarket: 'LoanMarket',
  PriceFeed: 'MockPriceFeed',
  ERC20: 'TestToken',
};

export interface Artifact {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
}

export function compile(): Map<string, Artifact> {
  if (!solc.version().startsWith(SOLC_VERSION)) {
    throw new Error(`solc ${solc.version()} is installed but ${SOLC_VERSION} is pinned; run pnpm install.`);
  }
  const sources: Record<string, { content: string }> = {};
  for (const file of readdirSync(sourceDir).filter((name) => name.endsWith('.sol'))) {
    sources[file] = { content: readFileSync(join(sourceDir, file), 'utf8') };
  }
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImports = (path: string) => {
    try {
      return { contents: readFileSync(require.resolve(path), 'utf8') };
    } catch {
      return { error: `import not found: ${path}` };
    }
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const errors = (output.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join('\n'));
  }
  const artifacts = new Map<string, Artifact>();
  for (const [file, contracts] of Object.entries<Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>(
    output.contracts,
  )) {
    if (!(file in sources)) continue;
    for (const [contractName, contract] of Object.entries(contracts)) {
      artifacts.set(contractName, { contractName, abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` });
    }
  }
  return artifacts;
}

export function abiFileContents(artifacts: Map<string, Artifact>): Map<string, string> {
  const files = new Map<string, string>();
  for (const [file, contractName] of Object.entries(publishedAbis)) {
    const artifact = artifacts.get(contractName);
    if (!artifact) throw new Error(`contract ${contractName} is missing from the compiled output`);
    files.set(`${file}.json`, `${JSON.stringify(artifact.abi, null, 2)}\n`);
  }
  return files;
}

export function writeArtifacts(artifacts: Map<string, Artifact>): void {
  mkdirSync(artifactsDir, { recursive: true });
  mkdirSync(abisDir, { recursive: true });
  for (const artifact of artifacts.values()) {
    writeFileSync(join(artifactsDir, `${artifact.contractName}.json`), JSON.stringify(artifact));
  }
  for (const [file, contents] of abiFileContents(artifacts)) writeFileSync(join(abisDir, file), contents);
}

export function loadArtifact(contractName: string): Artifact {
  try {
    return JSON.parse(readFileSync(join(artifactsDir, `${contractName}.json`), 'utf8'));
  } catch {
    throw new Error(`no compiled artifact for ${contractName}; run \`pnpm --filter contracts build\` first.`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = Date.now();
  const artifacts = compile();
  writeArtifacts(artifacts);
  console.log(`compiled ${artifacts.size} contracts with solc ${SOLC_VERSION} in ${Date.now() - started} ms`);
}

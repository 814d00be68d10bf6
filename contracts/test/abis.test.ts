import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { abiFileContents, abisDir, compile } from '../src/compile.js';

describe('abis/', () => {
  it('matches what the Solidity sources compile to (run `pnpm --filter contracts build` after a change)', () => {
    for (const [file, contents] of abiFileContents(compile())) {
      expect(readFileSync(join(abisDir, file), 'utf8'), `abis/${file} drifted from the sources`).toBe(contents);
    }
  });

  it('keeps every event PROTOCOL.md fixes, with its exact signature', () => {
    const signatures = (file: string) =>
      (
        JSON.parse(readFileSync(join(abisDir, file), 'utf8')) as Array<{
          type: string;
          name: string;
          inputs: Array<{ type: string; indexed?: boolean }>;
        }>
      )
        .filter((item) => item.type === 'event')
        .map((e) => `${e.name}(${e.inputs.map((i) => `${i.type}${i.indexed ? ' indexed' : ''}`).join(',')})`);
    expect(signatures('MarketFactory.json')).toContain(
      'MarketCreated(address indexed,address indexed,address indexed,address,uint16,uint16,uint16,uint16,uint32,uint32)',
    );
    expect(signatures('LoanMarket.json')).toEqual(
      expect.arrayContaining([
        'RiskParamsUpdated(uint16,uint16,uint16,uint16,uint32,uint32)',
        'BorrowerApprovalSet(address indexed,bool)',
        'LiquiditySupplied(address indexed,uint256,uint256)',
        'LiquidityWithdrawn(address indexed,uint256,uint256)',
        'LoanOpened(uint256 indexed,address indexed,uint256,uint256,uint32,uint32,uint64,uint64,int256)',
        'CollateralDeposited(uint256 indexed,address indexed,uint256,uint256)',
        'CollateralWithdrawn(uint256 indexed,address indexed,uint256,uint256)',
        'LoanRepaid(uint256 indexed,address indexed,uint256,uint256,uint256,uint256,uint64)',
        'LoanClosed(uint256 indexed,uint256)',
        'LoanLiquidated(uint256 indexed,address indexed,uint8,uint256,uint256,uint256,uint256,uint256,int256)',
      ]),
    );
    expect(signatures('PriceFeed.json')).toContain('AnswerUpdated(int256 indexed,uint256 indexed,uint256)');
  });
});

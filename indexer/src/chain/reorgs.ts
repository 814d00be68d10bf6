// Reorg detection: the hashes of the recently indexed blocks (within the finality depth) are
// remembered; when the chain's block at the cursor no longer has the indexed hash, the chain was
// reorganised, and the newest remembered block still on the chain is the common ancestor.
import type { ChainSource } from './chain-source.js';

export interface IndexedBlock {
  number: number;
  hash: string;
}

export class RecentBlocks {
  private readonly hashes = new Map<number, string>();

  constructor(readonly finalityDepth: number) {}

  record(block: IndexedBlock): void {
    this.hashes.set(block.number, block.hash.toLowerCase());
    const oldest = block.number - this.finalityDepth;
    for (const n of this.hashes.keys()) if (n < oldest) this.hashes.delete(n);
  }

  forgetAfter(number: number): void {
    for (const n of this.hashes.keys()) if (n > number) this.hashes.delete(n);
  }

  hashAt(number: number): string | undefined {
    return this.hashes.get(number);
  }

  numbersNewestFirst(): number[] {
    return [...this.hashes.keys()].sort((a, b) => b - a);
  }
}

/** Whether the indexed block is still the chain's block at that height. */
export async function isCanonical(source: ChainSource, block: IndexedBlock): Promise<boolean> {
  const onChain = await source.block(block.number).catch(() => null);
  return onChain !== null && onChain.hash?.toLowerCase() === block.hash.toLowerCase();
}

/**
 * The highest block number at or below `below` whose indexed hash the chain still has. Without a
 * remembered match (e.g. right after a restart, when only the cursor's hash is known) it goes
 * back below every remembered block and at least `finalityDepth` blocks: that deep is final by
 * assumption.
 */
export async function findCommonAncestor(
  source: ChainSource,
  recent: RecentBlocks,
  below: number,
  floor: number,
): Promise<number> {
  const candidates = recent.numbersNewestFirst().filter((n) => n <= below);
  if (candidates.length > 0) {
    const onChain = await source.blocks(candidates, false).catch(() => null);
    for (const n of candidates) {
      const hash = onChain?.get(n)?.hash?.toLowerCase();
      if (hash !== undefined && hash === recent.hashAt(n)) return n;
    }
  }
  const oldestRemembered = candidates.length > 0 ? Math.min(...candidates) - 1 : below;
  return Math.max(floor, Math.min(oldestRemembered, below - recent.finalityDepth));
}

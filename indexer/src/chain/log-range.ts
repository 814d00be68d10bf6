// How many blocks one eth_getLogs asks for. Providers cap either the block span or the result
// count, with error texts that differ per vendor; the range halves on any of them (or a timeout)
// and doubles again while responses stay sparse. It starts small and shrinks when responses are
// dense, so that the first logs arrive soon and each range holds about as many logs as the next
// range's load can overlap — graph-node likewise starts at one block and sizes ranges by the
// triggers per block it saw (graph/src/blockchain/polling_block_stream.rs,
// STARTING_PREVIOUS_TRIGGERS_PER_BLOCK and GRAPH_ETHEREUM_TARGET_TRIGGERS_PER_BLOCK_RANGE).

export interface LogRangeOptions {
  initial?: number;
  min?: number;
  max?: number;
  /** Grow while a response holds fewer logs than this. */
  sparseBelow?: number;
  /** After a response of more than twice this many logs, aim the next range at this many. */
  targetLogs?: number;
}

const TOO_MUCH =
  /too many|range too large|block range|limit exceeded|size limit|exceeds? (the )?(max|limit)|response size|query returned more than|max results|10000 results|range is too wide|timed out|timeout/i;

/** Whether an eth_getLogs failure means "ask for fewer blocks". */
export function isRangeTooLarge(message: string): boolean {
  return TOO_MUCH.test(message);
}

export class LogRange {
  private blocks: number;
  private readonly min: number;
  private readonly max: number;
  private readonly sparseBelow: number;
  private readonly targetLogs: number;

  constructor(options: LogRangeOptions = {}) {
    this.min = options.min ?? 1;
    this.max = options.max ?? 100_000;
    this.blocks = Math.min(this.max, Math.max(this.min, options.initial ?? 100));
    this.sparseBelow = options.sparseBelow ?? 2_000;
    this.targetLogs = options.targetLogs ?? 10_000;
  }

  get size(): number {
    return this.blocks;
  }

  /** Returns false when the range cannot shrink any more. */
  shrink(): boolean {
    if (this.blocks <= this.min) return false;
    this.blocks = Math.max(this.min, Math.floor(this.blocks / 2));
    return true;
  }

  observe(blocksAsked: number, logsReturned: number): void {
    if (logsReturned < this.sparseBelow && blocksAsked >= this.blocks) {
      this.blocks = Math.min(this.max, this.blocks * 2);
    } else if (logsReturned > 2 * this.targetLogs) {
      const aimed = Math.floor((blocksAsked * this.targetLogs) / logsReturned);
      this.blocks = Math.min(this.blocks, Math.max(this.min, aimed));
    }
  }
}

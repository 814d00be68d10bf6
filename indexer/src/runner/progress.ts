// The catch-up progress line: percentage of the way from the start block to the chain head,
// blocks/s and events/s over the last ~10 s, and the time left at that pace.
export interface ProgressSample {
  block: number;
  chainHead: number;
  startBlock: number;
  events: number;
  at: number;
}

export class ProgressMeter {
  private readonly samples: ProgressSample[] = [];

  record(sample: ProgressSample): void {
    this.samples.push(sample);
    while (this.samples.length > 2 && sample.at - (this.samples[0] as ProgressSample).at > 10_000) {
      this.samples.shift();
    }
  }

  /** Blocks per second over the window, 0 before two samples. */
  blocksPerSecond(): number {
    return this.rate((s) => s.block);
  }

  eventsPerSecond(): number {
    return this.rate((s) => s.events);
  }

  line(name: string): string | null {
    const last = this.samples.at(-1);
    if (!last) return null;
    const total = Math.max(1, last.chainHead - last.startBlock + 1);
    const done = Math.min(total, Math.max(0, last.block - last.startBlock + 1));
    const percent = ((done / total) * 100).toFixed(1);
    const bps = this.blocksPerSecond();
    const left = last.chainHead - last.block;
    const eta = bps > 0 ? formatDuration(left / bps) : '?';
    return `${name}: block ${last.block}/${last.chainHead} ${percent}% · ${bps.toFixed(0)} blocks/s · ${this.eventsPerSecond().toFixed(0)} events/s · ETA ${eta}`;
  }

  private rate(value: (s: ProgressSample) => number): number {
    const first = this.samples[0];
    const last = this.samples.at(-1);
    if (!first || !last || last.at === first.at) return 0;
    return ((value(last) - value(first)) * 1000) / (last.at - first.at);
  }
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

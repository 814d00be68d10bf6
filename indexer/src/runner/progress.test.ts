import { describe, expect, it } from 'vitest';
import { formatDuration, ProgressMeter } from './progress.js';

describe('progress line', () => {
  it('shows percentage, rates over the window and the time left', () => {
    const meter = new ProgressMeter();
    meter.record({ block: 99, chainHead: 10_099, startBlock: 100, events: 0, at: 0 });
    meter.record({ block: 2_099, chainHead: 10_099, startBlock: 100, events: 10_000, at: 2_000 });
    expect(meter.blocksPerSecond()).toBe(1_000);
    expect(meter.eventsPerSecond()).toBe(5_000);
    expect(meter.line('loans')).toBe('loans: block 2099/10099 20.0% · 1000 blocks/s · 5000 events/s · ETA 8s');
  });

  it('forgets samples older than ten seconds', () => {
    const meter = new ProgressMeter();
    meter.record({ block: 0, chainHead: 100, startBlock: 0, events: 0, at: 0 });
    meter.record({ block: 10, chainHead: 100, startBlock: 0, events: 0, at: 5_000 });
    meter.record({ block: 60, chainHead: 100, startBlock: 0, events: 0, at: 15_000 });
    expect(meter.blocksPerSecond()).toBe(5);
  });

  it('formats durations', () => {
    expect([formatDuration(59.4), formatDuration(61), formatDuration(7_260), formatDuration(Number.NaN)]).toEqual([
      '59s',
      '1m01s',
      '2h01m',
      '?',
    ]);
  });
});

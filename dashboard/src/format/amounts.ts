// Raw integer amounts (as the subgraph stores them) to readable text, without going through
// floating point for the digits that matter.
export function toUnits(raw: string | bigint, decimals: number): number {
  const value = BigInt(raw);
  const scale = 10n ** BigInt(decimals);
  return Number(value / scale) + Number(value % scale) / Number(scale);
}

const usdFormat = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
const compactUsd = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 2,
});

export function formatUsd(value: number | string, compact = false): string {
  const number = typeof value === 'string' ? Number(value) : value;
  if (!Number.isFinite(number)) return '—';
  return (compact ? compactUsd : usdFormat).format(number);
}

export function formatBtc(raw: string | bigint, decimals: number): string {
  return `${toUnits(raw, decimals).toLocaleString('en-US', { maximumFractionDigits: 4 })} BTC`;
}

export function formatBps(bps: number): string {
  return `${(bps / 100).toFixed(2)} %`;
}

export function formatDate(seconds: string | number | null | undefined, timeZone?: string): string {
  if (seconds === null || seconds === undefined) return '—';
  return new Date(Number(seconds) * 1000).toLocaleString('en-GB', {
    timeZone,
    dateStyle: 'medium',
    timeStyle: 'short',
  });
}

export function formatAge(seconds: number, now = Date.now() / 1000): string {
  const age = Math.max(0, Math.round(now - seconds));
  if (age < 90) return `${age} s ago`;
  if (age < 5400) return `${Math.round(age / 60)} min ago`;
  if (age < 129_600) return `${Math.round(age / 3600)} h ago`;
  return `${Math.round(age / 86_400)} days ago`;
}

/** A duration in seconds as the largest whole unit that fits (a grace period: "3 days"). */
export function formatDuration(seconds: number): string {
  const units: Array<[number, string]> = [
    [86_400, 'day'],
    [3600, 'hour'],
    [60, 'minute'],
  ];
  for (const [size, name] of units) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size} ${name}${seconds === size ? '' : 's'}`;
  }
  return `${seconds} s`;
}

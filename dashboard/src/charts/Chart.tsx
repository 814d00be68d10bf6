// A captioned, width-filling chart frame shared by the lazily loaded chart chunks.
import { ResponsiveContainer } from 'recharts';

export const COLORS = ['#f59e0b', '#3b82f6', '#10b981', '#a855f7'];
/** Liquidations and liquidation prices: per theme (styles.css), legible as text on either panel. */
export const RED = 'var(--chart-red)';
export const VIOLET = 'var(--chart-violet)';

/**
 * The theme's panel behind a tooltip: recharts' own is white, and its label takes the page's
 * text colour (light on white in the dark theme).
 */
export const tooltipStyle = {
  contentStyle: { background: 'var(--panel)', borderColor: 'var(--grid)', color: 'var(--fg)' },
} as const;

/** Hour-and-day or day labels for a time axis (Unix seconds). */
export const timeLabel = (hourly: boolean) => (t: number) =>
  new Date(t * 1000).toLocaleString(
    undefined,
    hourly ? { hour: '2-digit', day: 'numeric', month: 'short' } : { day: 'numeric', month: 'short' },
  );

export function Chart(props: { title: string; children: React.ReactElement }) {
  return (
    <figure className="chart">
      <figcaption>{props.title}</figcaption>
      <ResponsiveContainer width="100%" height={220}>
        {props.children}
      </ResponsiveContainer>
    </figure>
  );
}

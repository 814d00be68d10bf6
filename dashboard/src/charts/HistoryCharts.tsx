// The overview's and a market page's charts over a selectable range, from the subgraph's hourly
// or daily snapshots (lazily loaded: recharts is most of the JavaScript).
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { QueryState } from '../components/QueryState.js';
import { formatUsd } from '../format/amounts.js';
import { MarketSnapshotsQuery, SnapshotsQuery } from '../graphql/queries.js';
import { Chart, COLORS, RED, timeLabel, tooltipStyle, VIOLET } from './Chart.js';
import { buildSeries, RANGES, type Range, rangeStart, stepOf } from './series.js';

/** The protocol's charts, or one market's (`market`: its address) from its own snapshots. */
export default function HistoryCharts(props: { range: Range; now: number; market?: string }) {
  const { period } = RANGES[props.range];
  const since = rangeStart(props.range, props.now);
  const variables = { period, since: String(since) };
  const [protocol, reexecuteProtocol] = useQuery({
    query: SnapshotsQuery,
    variables,
    requestPolicy: 'cache-and-network',
    pause: props.market !== undefined,
  });
  const [market, reexecuteMarket] = useQuery({
    query: MarketSnapshotsQuery,
    variables: { ...variables, market: props.market ?? '' },
    requestPolicy: 'cache-and-network',
    pause: props.market === undefined,
  });
  const [result, reexecute] = props.market === undefined ? [protocol, reexecuteProtocol] : [market, reexecuteMarket];
  const step = stepOf(period);
  const points = result.data ? buildSeries(result.data, step, since, props.now) : [];
  const label = timeLabel(period === 'HOUR');
  const markets = [...new Set(result.data?.marketSnapshots.map((s) => s.market.name))];
  const axis = <XAxis dataKey="t" tickFormatter={label} minTickGap={24} />;
  // Compact counts ("2.5K"): a burst of thousands of loans in one period fits the axis.
  const count = (v: number) => v.toLocaleString('en-US', { notation: 'compact' });
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      empty={points.length === 0}
      retry={() => reexecute({ requestPolicy: 'network-only' })}
      what="history in this range"
    >
      <div className="charts">
        <Chart title="Collateral value vs debt (USD)">
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis tickFormatter={(v: number) => formatUsd(v, true)} width={70} />
            <Tooltip
              {...tooltipStyle}
              labelFormatter={(t) => label(Number(t))}
              formatter={(v) => formatUsd(Number(v))}
            />
            <Legend />
            <Line dataKey="collateral" name="Collateral" stroke={COLORS[0]} dot={false} isAnimationActive={false} />
            <Line dataKey="debt" name="Debt" stroke={COLORS[1]} dot={false} isAnimationActive={false} />
          </LineChart>
        </Chart>
        <Chart title="Collateralization ratio">
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis tickFormatter={(v: number) => `${Math.round(v * 100)} %`} width={70} />
            <Tooltip
              {...tooltipStyle}
              labelFormatter={(t) => label(Number(t))}
              formatter={(v) => `${(Number(v) * 100).toFixed(0)} %`}
            />
            <Line dataKey="ratio" name="Collateral / debt" stroke={COLORS[2]} dot={false} isAnimationActive={false} />
          </LineChart>
        </Chart>
        <Chart title="BTC price (USD, close)">
          <LineChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis tickFormatter={(v: number) => formatUsd(v, true)} width={70} domain={['auto', 'auto']} />
            <Tooltip
              {...tooltipStyle}
              labelFormatter={(t) => label(Number(t))}
              formatter={(v) => formatUsd(Number(v))}
            />
            <Legend />
            {markets.map((name, i) => (
              <Line
                key={name}
                dataKey={(p: (typeof points)[number]) => p.prices[name]}
                name={name}
                stroke={COLORS[i % COLORS.length]}
                dot={false}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </Chart>
        <Chart title={`New loans and repayments per ${period === 'HOUR' ? 'hour' : 'day'}`}>
          <BarChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis allowDecimals={false} tickFormatter={count} width={44} />
            <Tooltip {...tooltipStyle} labelFormatter={(t) => label(Number(t))} />
            <Legend />
            <Bar dataKey="newLoans" name="New loans" fill={COLORS[1]} isAnimationActive={false} />
            <Bar dataKey="repayments" name="Repayments" fill={COLORS[2]} isAnimationActive={false} />
          </BarChart>
        </Chart>
        <Chart title={`Liquidations per ${period === 'HOUR' ? 'hour' : 'day'}, by reason`}>
          <BarChart data={points}>
            <CartesianGrid strokeDasharray="3 3" />
            {axis}
            <YAxis allowDecimals={false} tickFormatter={count} width={44} />
            <Tooltip {...tooltipStyle} labelFormatter={(t) => label(Number(t))} />
            <Legend />
            <Bar dataKey="priceLiquidations" name="Price" stackId="l" fill={RED} isAnimationActive={false} />
            <Bar dataKey="defaultLiquidations" name="Default" stackId="l" fill={VIOLET} isAnimationActive={false} />
          </BarChart>
        </Chart>
      </div>
    </QueryState>
  );
}

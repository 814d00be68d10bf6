// One loan's charts (lazily loaded with recharts): collateral and debt, LTV against the
// liquidation threshold — one dot per event — and its liquidation price against the BTC price
// from the market's snapshots over the loan's life.
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { useQuery } from 'urql';
import { formatUsd } from '../format/amounts.js';
import { MarketPricesQuery } from '../graphql/queries.js';
import { Chart, COLORS, RED, timeLabel, tooltipStyle } from './Chart.js';
import { buildLoanSeries, buildPriceSeries, type LoanEvents } from './loanSeries.js';

/** Hourly closes while they fit one query (1,000 rows), daily ones for longer loans. */
const HOURLY_LIMIT = 1000 * 3600;

export default function LoanCharts(props: { loan: LoanEvents & { market: { id: string } }; now: number }) {
  const points = buildLoanSeries(props.loan);
  const from = points[0]?.t ?? props.now;
  // A closed loan's prices end at its end; an open one's at the indexed head.
  const last = points.at(-1);
  const to = last && (last.kind === 'closed' || last.kind === 'liquidated') ? last.t : props.now;
  const hourly = to - from <= HOURLY_LIMIT;
  const step = hourly ? 3600 : 86_400;
  const [prices] = useQuery({
    query: MarketPricesQuery,
    variables: {
      market: props.loan.market.id,
      period: hourly ? 'HOUR' : 'DAY',
      from: String(Math.floor(from / step) * step),
      to: String(to),
    },
    requestPolicy: 'cache-and-network',
  });
  const priceSeries = buildPriceSeries(points, prices.data?.marketSnapshots ?? [], props.loan.market.priceFeedDecimals);
  const label = timeLabel(hourly);
  const axis = (
    <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} tickFormatter={label} minTickGap={24} />
  );
  const tooltip = (format: (v: number) => string) => (
    <Tooltip {...tooltipStyle} labelFormatter={(t) => label(Number(t))} formatter={(v) => format(Number(v))} />
  );
  const btc = (v: number) => `${v.toLocaleString('en-US', { maximumFractionDigits: 4 })} BTC`;
  const percent = (v: number) => `${(v * 100).toFixed(1)} %`;
  return (
    <div className="charts">
      <Chart title="Collateral (BTC) and debt (USD) at each event">
        <LineChart data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          {axis}
          <YAxis yAxisId="btc" tickFormatter={btc} width={80} />
          <YAxis yAxisId="usd" orientation="right" tickFormatter={(v: number) => formatUsd(v, true)} width={70} />
          <Tooltip
            {...tooltipStyle}
            labelFormatter={(t) => label(Number(t))}
            formatter={(v, name) => (name === 'Collateral (BTC)' ? btc(Number(v)) : formatUsd(Number(v)))}
          />
          <Legend />
          <Line
            yAxisId="btc"
            type="stepAfter"
            dataKey="collateral"
            name="Collateral (BTC)"
            stroke={COLORS[0]}
            isAnimationActive={false}
          />
          <Line
            yAxisId="usd"
            type="stepAfter"
            dataKey="debt"
            name="Debt (USD)"
            stroke={COLORS[1]}
            isAnimationActive={false}
          />
        </LineChart>
      </Chart>
      <Chart title="LTV at each event">
        <LineChart data={points}>
          <CartesianGrid strokeDasharray="3 3" />
          {axis}
          <YAxis tickFormatter={percent} width={60} />
          {tooltip(percent)}
          <ReferenceLine
            y={props.loan.market.liquidationLtvBps / 10_000}
            ifOverflow="extendDomain"
            stroke={RED}
            strokeDasharray="4 4"
            label={{ value: 'Liquidation LTV', position: 'insideTopRight', fontSize: 11 }}
          />
          <Line type="stepAfter" dataKey="ltv" name="LTV" stroke={COLORS[2]} isAnimationActive={false} />
        </LineChart>
      </Chart>
      <Chart title="Liquidation price vs BTC price (USD)">
        <LineChart data={priceSeries}>
          <CartesianGrid strokeDasharray="3 3" />
          {axis}
          <YAxis tickFormatter={(v: number) => formatUsd(v, true)} width={70} domain={['auto', 'auto']} />
          {tooltip((v) => formatUsd(v))}
          <Legend />
          <Line dataKey="btc" name="BTC price" stroke={COLORS[0]} dot={false} isAnimationActive={false} />
          <Line
            type="stepAfter"
            dataKey="liquidation"
            name="Liquidation price"
            stroke={RED}
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </Chart>
    </div>
  );
}

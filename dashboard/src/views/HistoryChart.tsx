// Collateral value vs debt per day (lazily loaded: recharts is most of the bundle).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatUsd } from '../format/amounts.js';
import type { OverviewData } from '../graphql/queries.js';

export default function HistoryChart(props: { snapshots: OverviewData['protocolSnapshots'] }) {
  const data = [...props.snapshots].reverse().map((s) => ({
    day: new Date(Number(s.periodStart) * 1000).toISOString().slice(0, 10),
    collateral: Number(s.totalCollateralUSD),
    debt: Number(s.totalDebtUSD),
  }));
  if (data.length === 0) return <div className="panel empty">No daily history yet.</div>;
  return (
    <figure className="chart">
      <figcaption>Collateral value vs debt, per day</figcaption>
      <ResponsiveContainer width="100%" height={260}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis dataKey="day" />
          <YAxis tickFormatter={(v: number) => formatUsd(v, true)} width={70} />
          <Tooltip formatter={(v) => formatUsd(Number(v))} />
          <Legend />
          <Line
            type="monotone"
            dataKey="collateral"
            name="Collateral"
            stroke="#f59e0b"
            dot={false}
            isAnimationActive={false}
          />
          <Line type="monotone" dataKey="debt" name="Debt" stroke="#3b82f6" dot={false} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

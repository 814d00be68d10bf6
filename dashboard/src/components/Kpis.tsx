// The protocol's headline figures: one network's, or the sum over every network.
import { collateralization } from '../aggregate/networks.js';
import { formatUsd } from '../format/amounts.js';
import type { ProtocolKpis } from '../graphql/queries.js';

export function Kpis(props: { kpis: ProtocolKpis }) {
  const { kpis } = props;
  const ratio = collateralization(kpis);
  const utilization =
    Number(kpis.totalLenderAssetsUSD) > 0 ? Number(kpis.totalDebtUSD) / Number(kpis.totalLenderAssetsUSD) : null;
  return (
    <dl className="kpis">
      <Kpi label="Collateral locked" value={formatUsd(kpis.totalCollateralUSD)} />
      <Kpi label="Debt outstanding" value={formatUsd(kpis.totalDebtUSD)} />
      <Kpi label="Collateralization" value={ratio === null ? '—' : `${(ratio * 100).toFixed(0)} %`} />
      <Kpi label="Open loans" value={String(kpis.openLoanCount)} />
      <Kpi label="Lenders' liquidity" value={formatUsd(kpis.totalLenderAssetsUSD)} />
      <Kpi label="Utilization" value={utilization === null ? '—' : `${(utilization * 100).toFixed(1)} %`} />
      <Kpi label="Reserve" value={formatUsd(kpis.totalReserveUSD)} />
      <Kpi label="Bad debt" value={formatUsd(kpis.totalBadDebtUSD)} />
      <Kpi
        label="Liquidations (price / default)"
        value={`${kpis.priceLiquidationCount} / ${kpis.defaultLiquidationCount}`}
      />
    </dl>
  );
}

function Kpi(props: { label: string; value: string }) {
  return (
    <div className="kpi">
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </div>
  );
}

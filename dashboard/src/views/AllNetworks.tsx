// The "all networks" overview: every configured network's KPIs added up, and each network's.
import { Link } from 'react-router';
import { allNetworks } from '../aggregate/networks.js';
import { useAllNetworks } from '../aggregate/useAllNetworks.js';
import { DataTable } from '../components/DataTable.js';
import { Kpis } from '../components/Kpis.js';
import type { NetworkConfig } from '../config/networks.js';
import { formatUsd } from '../format/amounts.js';

export function AllNetworks(props: { networks: NetworkConfig[] }) {
  const { results, refresh } = useAllNetworks(props.networks);
  const label = (id: string) => props.networks.find((n) => n.id === id)?.label ?? id;
  if (!results) {
    return (
      <div className="panel skeleton" role="status" aria-busy="true">
        Loading every network…
      </div>
    );
  }
  const { total, missing } = allNetworks(results);
  return (
    <section aria-labelledby="all-title">
      <h2 id="all-title">All networks</h2>
      {missing.length > 0 && (
        <div role="alert" className="panel error">
          Partial total: {missing.map(label).join(', ')} did not answer.{' '}
          <button type="button" onClick={refresh}>
            Retry
          </button>
        </div>
      )}
      <Kpis kpis={total} />
      <DataTable
        caption="Networks"
        csvName="networks.csv"
        rows={results}
        rowKey={(r) => r.network}
        columns={[
          {
            header: 'Network',
            rowHeader: true,
            cell: (r) => <Link to={`/?network=${encodeURIComponent(r.network)}`}>{label(r.network)}</Link>,
            csv: (r) => r.network,
          },
          {
            header: 'Collateral',
            cell: (r) => (r.kpis ? formatUsd(r.kpis.totalCollateralUSD) : '—'),
            csv: (r) => r.kpis?.totalCollateralUSD ?? '',
          },
          {
            header: 'Debt',
            cell: (r) => (r.kpis ? formatUsd(r.kpis.totalDebtUSD) : '—'),
            csv: (r) => r.kpis?.totalDebtUSD ?? '',
          },
          {
            header: "Lenders' liquidity",
            cell: (r) => (r.kpis ? formatUsd(r.kpis.totalLenderAssetsUSD) : '—'),
            csv: (r) => r.kpis?.totalLenderAssetsUSD ?? '',
          },
          { header: 'Open loans', cell: (r) => r.kpis?.openLoanCount ?? '—', csv: (r) => r.kpis?.openLoanCount ?? '' },
          {
            header: 'Status',
            text: true,
            cell: (r) => (r.error ? `unreachable: ${r.error}` : r.kpis ? 'ok' : 'no data yet'),
            csv: (r) => r.error ?? (r.kpis ? 'ok' : 'empty'),
            className: (r) => (r.error ? 'danger' : undefined),
          },
        ]}
      />
    </section>
  );
}

import { useMemo } from 'react';
import { NavLink, Route, Routes, useSearchParams } from 'react-router';
import { Client, cacheExchange, fetchExchange, Provider } from 'urql';
import { StatusBar } from './components/StatusBar.js';
import type { NetworkConfig } from './config/networks.js';
import { Liquidations } from './views/Liquidations.js';
import { LoanPage } from './views/LoanPage.js';
import { Overview } from './views/Overview.js';
import { Positions } from './views/Positions.js';
import { Risk } from './views/Risk.js';

export function App(props: { networks: NetworkConfig[] }) {
  const [params, setParams] = useSearchParams();
  const network = props.networks.find((n) => n.id === params.get('network')) ?? (props.networks[0] as NetworkConfig);
  const client = useMemo(
    () =>
      new Client({
        url: network.subgraphUrl,
        exchanges: [cacheExchange, fetchExchange],
        requestPolicy: 'cache-and-network',
      }),
    [network.subgraphUrl],
  );
  const search = `?network=${encodeURIComponent(network.id)}`;
  return (
    <Provider value={client}>
      <header className="top">
        <h1>BTC RWA loans</h1>
        <nav aria-label="Views">
          <NavLink to={`/${search}`} end>
            Overview
          </NavLink>
          <NavLink to={`/risk${search}`}>Risk</NavLink>
          <NavLink to={`/positions${search}`}>Positions</NavLink>
          <NavLink to={`/liquidations${search}`}>Liquidations</NavLink>
        </nav>
        <label>
          Network{' '}
          <select
            value={network.id}
            onChange={(e) =>
              setParams((p) => {
                p.set('network', e.target.value);
                return p;
              })
            }
          >
            {props.networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.label}
              </option>
            ))}
          </select>
        </label>
        <StatusBar key={network.id} />
      </header>
      <main key={network.id}>
        <Routes>
          <Route path="/" element={<Overview />} />
          <Route path="/risk" element={<Risk />} />
          <Route path="/positions" element={<Positions />} />
          <Route path="/liquidations" element={<Liquidations />} />
          <Route path="/loans/:id" element={<LoanPage />} />
          <Route path="*" element={<p role="alert">Page not found.</p>} />
        </Routes>
      </main>
    </Provider>
  );
}

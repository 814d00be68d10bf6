import { useMemo } from 'react';
import { NavLink, Route, Routes, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Provider } from 'urql';
import { NotFound } from './components/NotFound.js';
import { StatusBar } from './components/StatusBar.js';
import type { NetworkConfig } from './config/networks.js';
import { makeClient } from './graphql/client.js';
import { AccountPage, Accounts } from './views/Accounts.js';
import { AllNetworks } from './views/AllNetworks.js';
import { Liquidations } from './views/Liquidations.js';
import { LoanPage } from './views/LoanPage.js';
import { MarketPage, Markets } from './views/Markets.js';
import { Overview } from './views/Overview.js';
import { Positions } from './views/Positions.js';
import { Risk } from './views/Risk.js';

/** The switcher's value for the all-networks overview. */
export const ALL = 'all';

export function App(props: { networks: NetworkConfig[] }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const all = params.get('network') === ALL && props.networks.length > 1;
  const network = props.networks.find((n) => n.id === params.get('network')) ?? (props.networks[0] as NetworkConfig);
  const client = useMemo(() => makeClient(network.subgraphUrl), [network.subgraphUrl]);
  const selected = all ? ALL : network.id;
  const search = `?network=${encodeURIComponent(selected)}`;
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
          <NavLink to={`/markets${search}`}>Markets</NavLink>
          <NavLink to={`/accounts${search}`}>Accounts</NavLink>
        </nav>
        <label>
          Network{' '}
          <select
            value={selected}
            onChange={(e) =>
              // A loan, market or account exists on one network only: switching goes to the view's list.
              navigate(`/${location.pathname.split('/')[1] ?? ''}?network=${encodeURIComponent(e.target.value)}`)
            }
          >
            {props.networks.length > 1 && <option value={ALL}>All networks</option>}
            {props.networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.label}
              </option>
            ))}
          </select>
        </label>
        {!all && <StatusBar key={network.id} />}
      </header>
      <main key={selected}>
        {all ? (
          <Routes>
            <Route path="/" element={<AllNetworks networks={props.networks} />} />
            <Route path="*" element={<ChooseNetwork networks={props.networks} />} />
          </Routes>
        ) : (
          <Routes>
            <Route path="/" element={<Overview />} />
            <Route path="/risk" element={<Risk />} />
            <Route path="/positions" element={<Positions />} />
            <Route path="/liquidations" element={<Liquidations />} />
            <Route path="/markets" element={<Markets />} />
            <Route path="/markets/:id" element={<MarketPage />} />
            <Route path="/accounts" element={<Accounts />} />
            <Route path="/accounts/:id" element={<AccountPage />} />
            <Route path="/loans/:id" element={<LoanPage />} />
            <Route path="*" element={<NotFound what="page" />} />
          </Routes>
        )}
      </main>
    </Provider>
  );
}

function ChooseNetwork(props: { networks: NetworkConfig[] }) {
  const location = useLocation();
  return (
    <section>
      <h2>Choose a network</h2>
      <p>This view shows one network at a time:</p>
      <ul>
        {props.networks.map((n) => (
          <li key={n.id}>
            <NavLink to={`${location.pathname}?network=${encodeURIComponent(n.id)}`}>{n.label}</NavLink>
          </li>
        ))}
      </ul>
    </section>
  );
}

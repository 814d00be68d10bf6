// Error and not-found states against real (closed) endpoints.
import { cleanup, render, screen } from '@testing-library/react';
import { MemoryRouter, Route, Routes } from 'react-router';
import { Provider } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../test/closed-port.js';
import { makeClient } from '../graphql/client.js';
import { AccountPage, lenderValueUSD } from './Accounts.js';
import { AllNetworks } from './AllNetworks.js';
import { MarketPage } from './Markets.js';

afterEach(cleanup);

describe('all networks', () => {
  it('names the networks that did not answer, offers a retry and still shows the (partial) total', async () => {
    const networks = [
      { id: 'a', label: 'L2 A', chainId: 1, subgraphUrl: `http://127.0.0.1:${await closedPort()}/subgraphs/name/x` },
      { id: 'b', label: 'L2 B', chainId: 2, subgraphUrl: `http://127.0.0.1:${await closedPort()}/subgraphs/name/y` },
    ];
    render(
      <MemoryRouter>
        <AllNetworks networks={networks} />
      </MemoryRouter>,
    );
    const alert = await screen.findByRole('alert', undefined, { timeout: 5_000 });
    expect(alert.textContent).toContain('L2 A, L2 B did not answer');
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
    expect(screen.getAllByText(/^unreachable: /)).toHaveLength(2);
    expect(screen.getByText('Open loans', { selector: 'dt' }).nextSibling?.textContent).toBe('0');
  });
});

describe('not-found pages', () => {
  it('answers an id that cannot exist without asking the endpoint', async () => {
    const client = makeClient(`http://127.0.0.1:${await closedPort()}/subgraphs/name/x`);
    for (const [path, route, element, text] of [
      ['/markets/WBTC', '/markets/:id', <MarketPage key="m" />, 'Market not found'],
      ['/accounts/0x12z', '/accounts/:id', <AccountPage key="a" />, 'Account not found'],
    ] as const) {
      render(
        <Provider value={client}>
          <MemoryRouter initialEntries={[path]}>
            <Routes>
              <Route path={route} element={element} />
            </Routes>
          </MemoryRouter>
        </Provider>,
      );
      expect(screen.getByRole('heading').textContent).toBe(text);
      cleanup();
    }
  });
});

describe('lender value', () => {
  it('is the share of the market’s lender assets', () => {
    expect(lenderValueUSD('250', '1000', '4000')).toBe(1000);
    expect(lenderValueUSD('1', '3', '300')).toBeCloseTo(100, 6);
    expect(lenderValueUSD('5', '0', '300')).toBe(0);
  });
});

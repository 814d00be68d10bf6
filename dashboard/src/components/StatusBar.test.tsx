// The status bar against real endpoints: a closed port (error state with retry) and a live
// graph-node-compatible server (the indexer's own GraphQL server over an empty deployment).

import { cleanup, render, screen } from '@testing-library/react';
import { Client, cacheExchange, fetchExchange, Provider } from 'urql';
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../../test/closed-port.js';
import { StatusBar } from './StatusBar.js';

afterEach(cleanup);

describe('StatusBar', () => {
  it('shows an error with a retry button when the endpoint is down', async () => {
    const client = new Client({
      url: `http://127.0.0.1:${await closedPort()}/subgraphs/name/x`,
      exchanges: [cacheExchange, fetchExchange],
    });
    render(
      <Provider value={client}>
        <StatusBar />
      </Provider>,
    );
    expect(await screen.findByText(/Endpoint unreachable/, undefined, { timeout: 5_000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Retry' })).toBeTruthy();
  });
});

// Asks every configured network's endpoint for its KPIs, on mount and then while the tab is
// visible; a network's last answer stays on screen while it revalidates (no flicker).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { usePolling } from '../components/usePolling.js';
import type { NetworkConfig } from '../config/networks.js';
import { makeClient } from '../graphql/client.js';
import { KpisQuery } from '../graphql/queries.js';
import type { NetworkKpis } from './networks.js';

export function useAllNetworks(networks: NetworkConfig[]): { results: NetworkKpis[] | null; refresh: () => void } {
  const clients = useMemo(() => networks.map((n) => ({ network: n, client: makeClient(n.subgraphUrl) })), [networks]);
  const [results, setResults] = useState<NetworkKpis[] | null>(null);
  const refresh = useCallback(() => {
    Promise.all(
      clients.map(async ({ network, client }): Promise<NetworkKpis> => {
        const answer = await client.query(KpisQuery, {}, { requestPolicy: 'network-only' }).toPromise();
        return {
          network: network.id,
          kpis: answer.data?.protocols[0] ?? null,
          error: answer.error ? answer.error.message : null,
        };
      }),
    ).then(setResults);
  }, [clients]);
  useEffect(refresh, [refresh]);
  usePolling(refresh, 15_000);
  return { results, refresh };
}

import { useSearchParams } from 'react-router';

/** Links keep the selected network, so that a copied URL opens the same data. */
export function useNetworkLink(): (path: string, extra?: Record<string, string>) => string {
  const [params] = useSearchParams();
  const network = params.get('network');
  return (path, extra = {}) => {
    const query = new URLSearchParams(network ? { network, ...extra } : extra).toString();
    return query ? `${path}?${query}` : path;
  };
}

export const shortAddress = (address: string) => `${address.slice(0, 6)}…${address.slice(-4)}`;

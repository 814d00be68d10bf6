// Networks are runtime configuration: `config.json` served next to the site (so one build points
// at any deployment), overridable at build time with VITE_NETWORKS (the same JSON).
export interface NetworkConfig {
  id: string;
  label: string;
  chainId: number;
  subgraphUrl: string;
}

export class ConfigError extends Error {}

export function parseNetworks(raw: unknown): NetworkConfig[] {
  const list = (raw as { networks?: unknown })?.networks;
  if (!Array.isArray(list) || list.length === 0)
    throw new ConfigError('config.json must list at least one network under "networks"');
  return list.map((entry, index) => {
    const n = entry as Partial<NetworkConfig>;
    if (!n.id || !n.subgraphUrl || typeof n.chainId !== 'number') {
      throw new ConfigError(`networks[${index}] needs "id", "chainId" and "subgraphUrl"`);
    }
    return { id: n.id, label: n.label ?? n.id, chainId: n.chainId, subgraphUrl: n.subgraphUrl };
  });
}

export async function loadNetworks(): Promise<NetworkConfig[]> {
  const fromEnv = import.meta.env.VITE_NETWORKS as string | undefined;
  if (fromEnv) return parseNetworks(JSON.parse(fromEnv));
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`);
  if (!response.ok) throw new ConfigError(`config.json could not be loaded (HTTP ${response.status})`);
  return parseNetworks(await response.json());
}

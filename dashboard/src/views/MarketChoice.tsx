import { useQuery } from 'urql';
import { Choice } from '../components/Choice.js';
import { MarketsQuery } from '../graphql/queries.js';

/** The market filter of the positions and liquidations pages ('' = every market). */
export function MarketChoice(props: { value: string; onChange: (market: string) => void }) {
  const [markets] = useQuery({ query: MarketsQuery, variables: { orderBy: 'name', orderDirection: 'asc' } });
  return (
    <Choice
      label="Market"
      value={props.value}
      options={[['', 'All'], ...(markets.data?.markets.map((m) => [m.id, m.name] as const) ?? [])]}
      onChange={props.onChange}
    />
  );
}

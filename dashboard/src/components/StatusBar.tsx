// Always-visible indexing status: the subgraph's `_meta` block, its age, and a warning when the
// data lags or the endpoint reports indexing errors (hasIndexingErrors can stay false while
// indexing is halted, so the block's age is checked too).
import { useQuery } from 'urql';
import { formatAge } from '../format/amounts.js';
import { MetaQuery } from '../graphql/queries.js';
import { usePolling } from './usePolling.js';

const STALE_AFTER_SECONDS = 15 * 60;

export function StatusBar() {
  const [result, reexecute] = useQuery({ query: MetaQuery, requestPolicy: 'cache-and-network' });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 10_000);
  if (result.error && !result.data) {
    return (
      <div role="status" className="status status-error">
        Endpoint unreachable: {result.error.message}{' '}
        <button type="button" onClick={() => reexecute({ requestPolicy: 'network-only' })}>
          Retry
        </button>
      </div>
    );
  }
  const meta = result.data?._meta;
  if (!meta)
    return (
      <div role="status" className="status">
        Connecting…
      </div>
    );
  const timestamp = meta.block.timestamp;
  const stale = timestamp !== null && Date.now() / 1000 - timestamp > STALE_AFTER_SECONDS;
  const warning = meta.hasIndexingErrors ? 'indexing errors reported' : stale ? 'data is behind the chain' : null;
  return (
    <div role="status" className={warning ? 'status status-warning' : 'status'}>
      Indexed to block {meta.block.number}
      {timestamp !== null ? ` · ${formatAge(timestamp)}` : ''}
      {warning ? ` · ⚠ ${warning}` : ''}
    </div>
  );
}

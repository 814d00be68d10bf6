// One entity's page (a loan, market or account) by the id in the URL: polled, with the loading
// and error states, and a not-found page for an id that does not exist on this network.
import type { TypedDocumentNode } from '@urql/core';
import type { ReactNode } from 'react';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { isBytesId, NotFound } from './NotFound.js';
import { QueryState } from './QueryState.js';
import { usePolling } from './usePolling.js';

export function EntityPage<Data, Entity>(props: {
  query: TypedDocumentNode<Data, { id: string }>;
  what: string;
  titleId: string;
  pick: (data: Data) => Entity | null | undefined;
  children: (entity: Entity) => ReactNode;
}) {
  const { id = '' } = useParams();
  const valid = isBytesId(id);
  const [result, reexecute] = useQuery({
    query: props.query,
    variables: { id: id.toLowerCase() },
    requestPolicy: 'cache-and-network',
    pause: !valid,
  });
  usePolling(() => reexecute({ requestPolicy: 'network-only' }), 15_000);
  const entity = result.data ? props.pick(result.data) : undefined;
  if (!valid || entity === null) return <NotFound what={props.what} id={id} />;
  return (
    <section aria-labelledby={props.titleId}>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        empty={entity === undefined}
        retry={() => reexecute({ requestPolicy: 'network-only' })}
        what={`the ${props.what}`}
      >
        {entity !== undefined && props.children(entity)}
      </QueryState>
    </section>
  );
}

// Loading, error (with retry) and empty states shared by every view.
import type { ReactNode } from 'react';
import type { CombinedError } from 'urql';

export function QueryState(props: {
  fetching: boolean;
  error?: CombinedError;
  empty: boolean;
  retry: () => void;
  children: ReactNode;
  what: string;
}) {
  if (props.error && props.empty) {
    return (
      <div role="alert" className="panel error">
        Could not load {props.what}: {props.error.message}{' '}
        <button type="button" onClick={props.retry}>
          Retry
        </button>
      </div>
    );
  }
  if (props.fetching && props.empty) {
    return (
      <div className="panel skeleton" role="status" aria-busy="true">
        Loading {props.what}…
      </div>
    );
  }
  if (props.empty) return <div className="panel empty">No {props.what} yet.</div>;
  return <>{props.children}</>;
}

/**
 * Whether a result answers these variables. urql keeps showing the previous variables' data
 * while new ones load: right for polling, wrong for a new page under a new page number.
 */
export function answers(result: { operation?: { variables?: unknown } }, variables: unknown): boolean {
  return JSON.stringify(result.operation?.variables) === JSON.stringify(variables);
}

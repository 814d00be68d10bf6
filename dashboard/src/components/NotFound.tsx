// An unknown loan, market, account or path: a page that says so, never a blank screen.
export function NotFound(props: { what: string; id?: string }) {
  return (
    <section>
      <h2>{`${props.what.charAt(0).toUpperCase()}${props.what.slice(1)} not found`}</h2>
      <p role="alert">
        {props.id ? `No ${props.what} has the id ${props.id} on this network.` : `There is no such ${props.what}.`}
      </p>
    </section>
  );
}

/** Entity ids of this subgraph are Bytes: anything else cannot exist (and graph-node would reject it). */
export const isBytesId = (id: string) => /^0x([0-9a-f]{2})+$/i.test(id);

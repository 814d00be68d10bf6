// Keyset ("cursor") pagination over graph-node's API, which orders by `orderBy dir, id dir`
// (graph-node's relational queries add the id as the tie-breaker; so does indexer/src/graphql/
// sql-query.ts). A page after a row is `value < v or (value = v and id < i)` for a descending
// sort, so paging never uses `skip`, which graph-node caps (GRAPH_GRAPHQL_MAX_SKIP) and which
// gets slower with depth. graph-node refuses `or` beside other column filters, so the base filter
// is repeated inside each branch.

export type Direction = 'asc' | 'desc';
/** Int fields are JSON numbers in a filter; BigInt, BigDecimal and Bytes are strings. */
export type FieldKind = 'int' | 'string';

export interface Cursor {
  /** The sort field's value in the boundary row (as the API returned it). */
  value: string;
  id: string;
}

export type Page = { after: Cursor } | { before: Cursor } | Record<string, never>;

export function encodeCursor(cursor: Cursor): string {
  return `${cursor.value}~${cursor.id}`;
}

/** A cursor from the URL; null when it is malformed (the first page is shown instead). */
export function decodeCursor(text: string | null): Cursor | null {
  if (!text) return null;
  const at = text.lastIndexOf('~');
  const value = text.slice(0, at);
  const id = text.slice(at + 1);
  if (at <= 0 || !/^0x[0-9a-f]*$/i.test(id) || !/^-?[0-9]+(\.[0-9]+)?$/.test(value)) return null;
  return { value, id };
}

const flip = (direction: Direction): Direction => (direction === 'asc' ? 'desc' : 'asc');

/**
 * The `where` and `orderDirection` of one page. A page `before` a row is queried in the opposite
 * direction (the rows nearest the boundary first) and `reverse` says to turn it back.
 */
export function pageQuery<Filter extends Record<string, unknown>>(
  base: Filter,
  field: string,
  kind: FieldKind,
  direction: Direction,
  page: Page,
): { where: Filter | { or: Filter[] }; orderDirection: Direction; reverse: boolean } {
  const boundary = 'after' in page ? page.after : 'before' in page ? page.before : null;
  if (!boundary) return { where: base, orderDirection: direction, reverse: false };
  const reverse = 'before' in page;
  const orderDirection = reverse ? flip(direction) : direction;
  const op = orderDirection === 'desc' ? 'lt' : 'gt';
  if (field === 'id') return { where: { ...base, [`id_${op}`]: boundary.id }, orderDirection, reverse };
  const value = kind === 'int' ? Number(boundary.value) : boundary.value;
  return {
    where: {
      or: [
        { ...base, [`${field}_${op}`]: value },
        { ...base, [field]: value, [`id_${op}`]: boundary.id },
      ],
    },
    orderDirection,
    reverse,
  };
}

/**
 * Turns the rows of a page query (asked for `size + 1` to learn whether more follow) into the
 * rows to show, in display order, and which neighbouring pages exist.
 */
export function pageRows<Row>(
  rows: Row[],
  size: number,
  page: Page,
): { rows: Row[]; hasPrevious: boolean; hasNext: boolean } {
  const more = rows.length > size;
  const shown = rows.slice(0, size);
  if ('before' in page) return { rows: shown.reverse(), hasPrevious: more, hasNext: true };
  return { rows: shown, hasPrevious: 'after' in page, hasNext: more };
}

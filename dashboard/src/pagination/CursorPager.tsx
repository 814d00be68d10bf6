// Previous / next over cursor pages; the cursor and the page number live in the URL.
import { useSearchParams } from 'react-router';
import { type Cursor, decodeCursor, encodeCursor, type Page } from './cursor.js';

/** The page the URL asks for, and a setter that keeps every other parameter. */
export function useUrlPage(): {
  page: Page;
  pageNumber: number;
  update: (changes: Record<string, string | null>) => void;
} {
  const [params, setParams] = useSearchParams();
  const after = decodeCursor(params.get('after'));
  const before = decodeCursor(params.get('before'));
  const update = (changes: Record<string, string | null>) =>
    setParams((p) => {
      for (const [key, value] of Object.entries(changes)) {
        if (value === null || value === '') p.delete(key);
        else p.set(key, value);
      }
      return p;
    });
  return {
    page: after ? { after } : before ? { before } : {},
    pageNumber: Math.max(1, Number(params.get('page') ?? 1) || 1),
    update,
  };
}

/** Resets the cursor: any change of filter or sort starts again at the first page. */
export const FIRST_PAGE = { after: null, before: null, page: null };

/** The pager under a page of rows (`pageRows`' answer), its cursors taken from the first and last row. */
export function CursorPager<Row>(props: {
  pageNumber: number;
  shown: { rows: Row[]; hasPrevious: boolean; hasNext: boolean };
  cursorOf: (row: Row | undefined) => Cursor | null;
  update: (changes: Record<string, string | null>) => void;
}) {
  const { pageNumber, update } = props;
  const first = props.cursorOf(props.shown.rows[0]);
  const last = props.cursorOf(props.shown.rows.at(-1));
  return (
    <nav className="pager" aria-label="Pages">
      <button
        type="button"
        disabled={!props.shown.hasPrevious || !first}
        onClick={() =>
          first &&
          update({ before: encodeCursor(first), after: null, page: pageNumber > 2 ? String(pageNumber - 1) : null })
        }
      >
        Previous
      </button>
      <span>Page {pageNumber}</span>
      <button
        type="button"
        disabled={!props.shown.hasNext || !last}
        onClick={() => last && update({ after: encodeCursor(last), before: null, page: String(pageNumber + 1) })}
      >
        Next
      </button>
    </nav>
  );
}

/** Where a limit/offset list is, and buttons to the neighbouring pages. */
export function Pager(props: {
  label: string;
  offset: number;
  limit: number;
  total: number;
  /** The next page is loading: the buttons stay, disabled, so focus is not lost. */
  busy: boolean;
  onOffset: (offset: number) => void;
}) {
  const { label, offset, limit, total, busy, onOffset } = props;
  if (total <= limit && offset === 0) return null;
  const last = Math.min(offset + limit, total);
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="secondary"
        disabled={busy || offset === 0}
        onClick={() => onOffset(Math.max(0, offset - limit))}
      >
        Previous
      </button>
      <span aria-live="polite">{total === 0 ? "None" : `${offset + 1}–${last} of ${total}`}</span>
      <button
        type="button"
        className="secondary"
        disabled={busy || last >= total}
        onClick={() => onOffset(offset + limit)}
      >
        Next
      </button>
    </nav>
  );
}

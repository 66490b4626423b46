/** The next page of a cursor-paged list, on request. */
export const MoreButton = ({
  hasMore,
  loading,
  onMore,
}: {
  hasMore: boolean;
  loading: boolean;
  onMore: () => void;
}) =>
  hasMore ? (
    <p>
      <button type="button" className="button" onClick={onMore} disabled={loading}>
        {loading ? 'Loading…' : 'Show older'}
      </button>
    </p>
  ) : null;

package dev.accrue.app.page;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.util.List;
import java.util.function.Function;

/** One page of a list plus whether more follow; the next cursor is the last item's id. */
public record Page<T>(List<T> items, boolean hasMore) {

    /** Builds a page from a query that fetched {@code limit + 1} rows, the extra row only telling that more exist. */
    public static <T> Page<T> fromOverfetch(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Page<>(more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
    }

    /**
     * Pages a list that is small and complete in memory (a subscription's quotas, add-ons or numbers, a tenant's
     * catalog versions), in its given order: the page after {@code page.startingAfter()} — the key of the last
     * item of the previous page — so every list answers with the same envelope and cursor. A key no longer in
     * the list (the item is gone) is an {@code invalid_cursor}: the client starts over rather than skip or repeat.
     */
    public static <T> Page<T> slice(List<T> ordered, PageRequest page, Function<T, String> key) {
        int from = 0;
        if (page.startingAfter() != null) {
            int at = -1;
            for (int i = 0; i < ordered.size() && at < 0; i++) {
                if (key.apply(ordered.get(i)).equals(page.startingAfter())) {
                    at = i;
                }
            }
            if (at < 0) {
                throw new AccrueException(ErrorCode.INVALID_CURSOR, "cursor", "cursor does not name an item of this list (any more); start from the first page");
            }
            from = at + 1;
        }
        int to = Math.min(ordered.size(), from + page.limit());
        return new Page<>(List.copyOf(ordered.subList(from, to)), to < ordered.size());
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), hasMore);
    }
}

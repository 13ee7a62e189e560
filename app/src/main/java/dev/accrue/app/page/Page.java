package dev.accrue.app.page;

import java.util.List;
import java.util.function.Function;

/** One page of a list plus whether more follow; the next cursor is the last item's id. */
public record Page<T>(List<T> items, boolean hasMore) {

    /** Builds a page from a query that fetched {@code limit + 1} rows, the extra row only telling that more exist. */
    public static <T> Page<T> fromOverfetch(List<T> rows, int limit) {
        boolean more = rows.size() > limit;
        return new Page<>(more ? List.copyOf(rows.subList(0, limit)) : List.copyOf(rows), more);
    }

    public <R> Page<R> map(Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), hasMore);
    }
}

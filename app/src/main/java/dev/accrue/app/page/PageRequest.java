package dev.accrue.app.page;

import dev.accrue.core.error.AccrueException;

/**
 * Cursor pagination over id-ordered lists, newest first: {@code startingAfter} is the last id of the previous
 * page (null for the first page).
 */
public record PageRequest(int limit, String startingAfter) {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    public PageRequest {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw AccrueException.invalid("limit", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
    }

    public static PageRequest first(int limit) {
        return new PageRequest(limit, null);
    }
}

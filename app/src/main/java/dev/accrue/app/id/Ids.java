package dev.accrue.app.id;

import com.github.f4b6a3.ulid.UlidCreator;

import java.util.regex.Pattern;

/**
 * Prefixed, time-sortable identifiers ({@code cus_01JD…}): a type prefix so an id says what it names, then a
 * monotonic ULID so ids sort by creation and make good cursors.
 */
public final class Ids {
    private static final Pattern SHAPE = Pattern.compile("^[a-z]{2,6}_[0-9A-HJKMNP-TV-Z]{26}$");

    private Ids() {
    }

    public static String next(String prefix) {
        return prefix + "_" + UlidCreator.getMonotonicUlid();
    }

    /** True when {@code id} has the shape of an id with this prefix; lets lookups of garbage skip the database. */
    public static boolean looksLike(String prefix, String id) {
        return id != null && id.startsWith(prefix + "_") && SHAPE.matcher(id).matches();
    }
}

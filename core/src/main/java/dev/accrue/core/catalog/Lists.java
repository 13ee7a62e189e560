package dev.accrue.core.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Absent lists and maps in a catalog document mean "none"; the model never holds nulls for them. Maps keep
 * the document's order, so the catalog reads back (and serialises) the way the operator wrote it. An empty
 * entry ({@code ~} or a bare {@code -}) is refused with a message the reader attaches to its path.
 */
final class Lists {
    private Lists() {
    }

    static <T> List<T> orEmpty(String key, List<T> list) {
        if (list == null) {
            return List.of();
        }
        if (list.stream().anyMatch(java.util.Objects::isNull)) {
            throw new EmptyEntryException(key, "a list entry is empty (~, null or a bare '-')");
        }
        return Collections.unmodifiableList(new ArrayList<>(list));
    }

    static <K, V> Map<K, V> orEmpty(String key, Map<K, V> map) {
        if (map == null) {
            return Map.of();
        }
        // immutable maps throw on contains(null), so look at each entry instead
        if (map.entrySet().stream().anyMatch(e -> e.getKey() == null || e.getValue() == null)) {
            throw new EmptyEntryException(key, "an entry has no value (~ or null)");
        }
        return Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}

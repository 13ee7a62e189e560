package dev.accrue.core.catalog;

import java.util.List;
import java.util.Map;

/** Absent lists and maps in a catalog document mean "none"; the model never holds nulls for them. */
final class Lists {
    private Lists() {
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : List.copyOf(list);
    }

    static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : Map.copyOf(map);
    }
}

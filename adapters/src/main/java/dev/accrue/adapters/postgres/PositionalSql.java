package dev.accrue.adapters.postgres;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A statement written with JDBI's {@code :name} parameters, turned once into JDBC's {@code ?} and the names in order, for
 * the few hot reads sent as plain {@link PreparedStatement}s ({@link JdbiTransactions#connection}): the same SQL text as
 * the JDBI form, without JDBI's per-statement work (configuration copies, argument-factory lookups per binding,
 * customizers, result iterators), which cost a usage view more CPU than pgjdbc itself. pgjdbc keeps the statement
 * prepared on the server per connection, as it does for JDBI's.
 *
 * <p>Only for statements without string literals or comments (checked): those are where a colon would not be a parameter.
 */
record PositionalSql(String sql, List<String> names) {
    private static final Pattern NAMED = Pattern.compile("(?<![:\\w]):([A-Za-z_][A-Za-z0-9_]*)");

    static PositionalSql of(String named) {
        if (named.indexOf('\'') >= 0 || named.contains("--") || named.contains("/*")) {
            throw new IllegalArgumentException("PositionalSql does not parse string literals or comments: " + named);
        }
        List<String> names = new ArrayList<>();
        Matcher m = NAMED.matcher(named);
        StringBuilder sql = new StringBuilder(named.length());
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(sql, "?");
        }
        m.appendTail(sql);
        return new PositionalSql(sql.toString(), List.copyOf(names));
    }

    /** Binds each {@code ?} to its name's value: a String as text (as JDBI binds it), anything else by pgjdbc's setObject (LocalDate as date). */
    void bind(PreparedStatement ps, Map<String, ?> values) throws SQLException {
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("No value for :" + name);
            }
            Object v = values.get(name);
            if (v instanceof String s) {
                ps.setString(i + 1, s);
            } else {
                ps.setObject(i + 1, v);
            }
        }
    }
}

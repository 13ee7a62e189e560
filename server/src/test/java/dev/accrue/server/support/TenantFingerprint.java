package dev.accrue.server.support;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A digest of every row a tenant owns, table by table (every table with a {@code tenant_id} column), so that a test
 * can prove a refused request changed nothing anywhere — not only in the rows it thought of looking at.
 */
public final class TenantFingerprint {
    private TenantFingerprint() {
    }

    public static Map<String, String> of(String tenantId) {
        return TestNode.get().accrue().database().jdbi().withHandle(h -> {
            List<String> tables = h.createQuery("""
                    SELECT c.table_name FROM information_schema.columns c
                    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                    WHERE c.column_name = 'tenant_id' AND c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
                    ORDER BY c.table_name""").mapTo(String.class).list();
            Map<String, String> digests = new LinkedHashMap<>();
            for (String table : tables) {
                String digest = h.createQuery("SELECT count(*) || ':' || md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) FROM \""
                        + table + "\" r WHERE r.tenant_id::text = :t").bind("t", tenantId).mapTo(String.class).one();
                digests.put(table, digest);
            }
            return digests;
        });
    }
}

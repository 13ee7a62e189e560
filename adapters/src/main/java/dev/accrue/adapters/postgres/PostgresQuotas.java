package dev.accrue.adapters.postgres;

import dev.accrue.app.quota.QuotaRepository;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class PostgresQuotas implements QuotaRepository {
    private final JdbiTransactions tx;

    public PostgresQuotas(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public List<String> active(String tenantId, String subscriptionId, String quota) {
        return tx.handle().createQuery("""
                        SELECT item_id FROM quota_items WHERE tenant_id = :tenant AND subscription_id = :sub AND quota = :quota AND active
                        ORDER BY activated_at, item_id""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("quota", quota).mapTo(String.class).list();
    }

    @Override
    public Map<String, Long> counts(String tenantId, String subscriptionId) {
        Map<String, Long> out = new LinkedHashMap<>();
        tx.handle().createQuery("SELECT quota, count(*) AS n FROM quota_items WHERE tenant_id = :tenant AND subscription_id = :sub AND active GROUP BY quota ORDER BY quota")
                .bind("tenant", tenantId).bind("sub", subscriptionId)
                .map((rs, ctx) -> Map.entry(rs.getString("quota"), rs.getLong("n"))).forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public boolean activate(String tenantId, String subscriptionId, String quota, String itemId, Instant at) {
        return tx.handle().createUpdate("""
                        INSERT INTO quota_items (tenant_id, subscription_id, quota, item_id, active, activated_at)
                        VALUES (:tenant, :sub, :quota, :item, true, :at)
                        ON CONFLICT (tenant_id, subscription_id, quota, item_id)
                        DO UPDATE SET active = true, activated_at = EXCLUDED.activated_at, deactivated_at = NULL WHERE NOT quota_items.active""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("quota", quota).bind("item", itemId).bind("at", Rows.utc(at))
                .execute() == 1;
    }

    @Override
    public boolean deactivate(String tenantId, String subscriptionId, String quota, String itemId, Instant at) {
        return tx.handle().createUpdate("""
                        UPDATE quota_items SET active = false, deactivated_at = :at
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND quota = :quota AND item_id = :item AND active""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("quota", quota).bind("item", itemId).bind("at", Rows.utc(at))
                .execute() == 1;
    }
}

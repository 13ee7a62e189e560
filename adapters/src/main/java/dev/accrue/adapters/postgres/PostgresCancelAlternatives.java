package dev.accrue.adapters.postgres;

import dev.accrue.app.portal.CancelAlternative;
import dev.accrue.app.portal.CancelAlternativeRepository;

import java.util.List;
import java.util.Locale;

public final class PostgresCancelAlternatives implements CancelAlternativeRepository {
    private final JdbiTransactions tx;

    public PostgresCancelAlternatives(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public List<CancelAlternative> list(String tenantId) {
        return tx.handle().createQuery("SELECT * FROM cancel_alternatives WHERE tenant_id = :tenant ORDER BY position").bind("tenant", tenantId)
                .map((rs, ctx) -> new CancelAlternative(CancelAlternative.Kind.valueOf(rs.getString("kind").toUpperCase(Locale.ROOT)), rs.getString("plan"),
                        rs.getString("label"), rs.getString("url"), rs.getString("message"))).list();
    }

    @Override
    public void replace(String tenantId, List<CancelAlternative> alternatives) {
        tx.handle().createUpdate("DELETE FROM cancel_alternatives WHERE tenant_id = :tenant").bind("tenant", tenantId).execute();
        for (int i = 0; i < alternatives.size(); i++) {
            CancelAlternative a = alternatives.get(i);
            tx.handle().createUpdate("""
                            INSERT INTO cancel_alternatives (tenant_id, position, kind, plan, label, url, message)
                            VALUES (:tenant, :position, :kind, :plan, :label, :url, :message)""")
                    .bind("tenant", tenantId).bind("position", i).bind("kind", a.kind().name().toLowerCase(Locale.ROOT)).bind("plan", a.plan())
                    .bind("label", a.label()).bind("url", a.url()).bind("message", a.message()).execute();
        }
    }
}

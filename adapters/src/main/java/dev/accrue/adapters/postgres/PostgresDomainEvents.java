package dev.accrue.adapters.postgres;

import dev.accrue.app.event.DomainEvent;
import dev.accrue.app.event.DomainEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Map;

public final class PostgresDomainEvents implements DomainEvents {
    @SuppressWarnings("unchecked")
    private static final RowMapper<Recorded> RECORDED = (rs, ctx) -> new Recorded(new Position(rs.getLong("tx_id"), rs.getLong("sequence")), rs.getString("tenant_id"),
            new DomainEvent(rs.getString("id"), rs.getString("type"), rs.getString("object_type"), rs.getString("object_id"),
                    rs.getString("customer_id"), StoredJson.read(rs.getString("data"), Map.class), Rows.instant(rs, "occurred_at")),
            Rows.instant(rs, "recorded_at"));
    private final JdbiTransactions tx;

    public PostgresDomainEvents(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void record(String tenantId, DomainEvent e) {
        recordAll(tenantId, List.of(e));
    }

    @Override
    public void recordAll(String tenantId, List<DomainEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        List<Pending> pending = events.stream().map(e -> new Pending(tenantId, e)).toList();
        if (ClaimedBatch.active(tx)) {
            // a billing batch's events: inserted with the batch's others, in the order recorded, when the transaction next
            // speaks to the database (ClaimedBatch says why the outbox stays safe)
            JdbiTransactions.Deferred<Pending> behind = tx.writeBehind(PostgresDomainEvents.class, PostgresDomainEvents::insert);
            pending.forEach(behind::add);
            return;
        }
        tx.inTransaction(() -> {
            insert(tx.handle(), pending);
            return null;
        });
    }

    /** An event as recorded, with its tenant. */
    private record Pending(String tenantId, DomainEvent event) {
    }

    /** One statement for any number of events, of any tenants; WITH ORDINALITY keeps the list's order in the sequence numbers. */
    private static void insert(Handle h, List<Pending> events) {
        h.createUpdate("""
                        INSERT INTO domain_events (tenant_id, id, type, object_type, object_id, customer_id, data, occurred_at)
                        SELECT e.tenant_id, e.id, e.type, e.object_type, e.object_id, e.customer_id, CAST(e.data AS jsonb), e.occurred_at
                        FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[]), CAST(:types AS text[]), CAST(:objectTypes AS text[]),
                                    CAST(:objectIds AS text[]), CAST(:customers AS text[]), CAST(:datas AS text[]), CAST(:ats AS timestamptz[]))
                             WITH ORDINALITY AS e(tenant_id, id, type, object_type, object_id, customer_id, data, occurred_at, ord)
                        ORDER BY e.ord""")
                .bindArray("tenants", String.class, events.stream().map(Pending::tenantId).toList())
                .bindArray("ids", String.class, events.stream().map(p -> p.event().id()).toList())
                .bindArray("types", String.class, events.stream().map(p -> p.event().type()).toList())
                .bindArray("objectTypes", String.class, events.stream().map(p -> p.event().objectType()).toList())
                .bindArray("objectIds", String.class, events.stream().map(p -> p.event().objectId()).toList())
                .bindArray("customers", String.class, events.stream().map(p -> p.event().customerId()).toList())
                .bindArray("datas", String.class, events.stream().map(p -> StoredJson.write(p.event().data())).toList())
                .bindArray("ats", String.class, events.stream().map(p -> p.event().occurredAt().toString()).toList())
                .execute();
    }

    @Override
    public List<Recorded> after(Position position, int limit) {
        return tx.inTransaction(() -> tx.handle().createQuery("""
                        SELECT * FROM domain_events
                        WHERE (tx_id, sequence) > (:tx, :sequence) AND tx_id < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
                        ORDER BY tx_id, sequence LIMIT :limit""")
                .bind("tx", position.transaction()).bind("sequence", position.sequence()).bind("limit", limit).map(RECORDED).list());
    }

    @Override
    public List<Recorded> list(String tenantId, String type, String objectId, int limit) {
        return tx.inTransaction(() -> tx.handle().createQuery("""
                        SELECT * FROM domain_events WHERE tenant_id = :tenant
                          AND (CAST(:type AS text) IS NULL OR type = :type) AND (CAST(:object AS text) IS NULL OR object_id = :object)
                        ORDER BY sequence DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("type", type).bind("object", objectId).bind("limit", limit).map(RECORDED).list());
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.adapters.json.Json;
import dev.accrue.app.audit.AuditEntry;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.audit.AuditQuery;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.util.List;

public final class PostgresAuditLog implements AuditLog {
    private static final RowMapper<AuditEntry> MAPPER = (rs, ctx) -> new AuditEntry(rs.getString("id"), rs.getString("object_type"),
            rs.getString("object_id"), rs.getString("action"), rs.getString("actor"), Rows.instant(rs, "occurred_at"),
            rs.getString("before"), rs.getString("after"));
    private final JdbiTransactions tx;
    private final Clock clock;

    public PostgresAuditLog(JdbiTransactions tx, Clock clock) {
        this.tx = tx;
        this.clock = clock;
    }

    @Override
    public void record(Caller caller, String objectType, String objectId, String action, Object before, Object after) {
        tx.handle().createUpdate("""
                        INSERT INTO audit_events (tenant_id, id, object_type, object_id, action, actor, occurred_at, before, after)
                        VALUES (:tenant, :id, :type, :object, :action, :actor, :at, CAST(:before AS jsonb), CAST(:after AS jsonb))""")
                .bind("tenant", caller.tenantId()).bind("id", Ids.next("aud")).bind("type", objectType).bind("object", objectId)
                .bind("action", action).bind("actor", caller.actor().wire()).bind("at", Rows.utc(clock.instant()))
                .bind("before", before == null ? null : Json.write(before))
                .bind("after", after == null ? null : Json.write(after))
                .execute();
    }

    @Override
    public void recordAll(Caller caller, List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        String at = clock.instant().toString();
        tx.handle().createUpdate("""
                        INSERT INTO audit_events (tenant_id, id, object_type, object_id, action, actor, occurred_at, before, after)
                        SELECT :tenant, e.id, e.type, e.object, e.action, :actor, CAST(:at AS timestamptz), CAST(e.before AS jsonb), CAST(e.after AS jsonb)
                        FROM unnest(CAST(:ids AS text[]), CAST(:types AS text[]), CAST(:objects AS text[]), CAST(:actions AS text[]),
                                    CAST(:befores AS text[]), CAST(:afters AS text[])) AS e(id, type, object, action, before, after)""")
                .bind("tenant", caller.tenantId()).bind("actor", caller.actor().wire()).bind("at", at)
                .bindArray("ids", String.class, entries.stream().map(e -> Ids.next("aud")).toList())
                .bindArray("types", String.class, entries.stream().map(Entry::objectType).toList())
                .bindArray("objects", String.class, entries.stream().map(Entry::objectId).toList())
                .bindArray("actions", String.class, entries.stream().map(Entry::action).toList())
                .bindArray("befores", String.class, entries.stream().map(e -> e.before() == null ? null : Json.write(e.before())).toList())
                .bindArray("afters", String.class, entries.stream().map(e -> e.after() == null ? null : Json.write(e.after())).toList())
                .execute();
    }

    @Override
    public Page<AuditEntry> find(String tenantId, AuditQuery q, PageRequest page) {
        var rows = tx.handle().createQuery("""
                        SELECT * FROM audit_events WHERE tenant_id = :tenant
                          AND (CAST(:object AS text) IS NULL OR object_id = :object)
                          AND (CAST(:type AS text) IS NULL OR object_type = :type)
                          AND (CAST(:actor AS text) IS NULL OR actor = :actor)
                          AND (CAST(:from AS timestamptz) IS NULL OR occurred_at >= :from)
                          AND (CAST(:to AS timestamptz) IS NULL OR occurred_at < :to)
                          AND (CAST(:after AS text) IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("object", q.objectId()).bind("type", q.objectType()).bind("actor", q.actor())
                .bind("from", q.from() == null ? null : Rows.utc(q.from())).bind("to", q.to() == null ? null : Rows.utc(q.to()))
                .bind("after", page.startingAfter()).bind("limit", page.limit() + 1)
                .map(MAPPER).list();
        return Page.fromOverfetch(rows, page.limit());
    }
}

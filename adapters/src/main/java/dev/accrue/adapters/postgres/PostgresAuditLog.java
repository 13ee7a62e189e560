package dev.accrue.adapters.postgres;

import dev.accrue.adapters.json.Json;
import dev.accrue.app.audit.AuditEntry;
import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.audit.AuditQuery;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Clock;
import java.time.Instant;
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

    /** An entry as recorded (its id and time taken then), waiting in its transaction's batch. */
    private record Pending(String tenantId, String id, String objectType, String objectId, String action, String actor, Instant at,
                           String before, String after) {
    }

    @Override
    public void record(Caller caller, String objectType, String objectId, String action, Object before, Object after) {
        Pending entry = new Pending(caller.tenantId(), Ids.next("aud"), objectType, objectId, action, caller.actor().wire(), clock.instant(),
                before == null ? null : Json.write(before), after == null ? null : Json.write(after));
        // written with the transaction's other entries just before it commits; at once when there is no transaction to join
        JdbiTransactions.Deferred<Pending> batch = tx.deferred(PostgresAuditLog.class, PostgresAuditLog::insert);
        if (batch != null) {
            batch.add(entry);
        } else {
            insert(tx.handle(), List.of(entry));
        }
    }

    /**
     * The transaction's entries with one statement: each column as one array, turned back into rows by {@code unnest} — a
     * billing batch's 500 "invoice.finalized" entries are one execution, not a JDBC batch of 500 inserts.
     */
    private static void insert(Handle h, List<Pending> entries) {
        h.createUpdate("""
                        INSERT INTO audit_events (tenant_id, id, object_type, object_id, action, actor, occurred_at, before, after)
                        SELECT e.tenant, e.id, e.type, e.object, e.action, e.actor, e.at, CAST(e.before AS jsonb), CAST(e.after AS jsonb)
                        FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[]), CAST(:types AS text[]), CAST(:objects AS text[]),
                                    CAST(:actions AS text[]), CAST(:actors AS text[]), CAST(:ats AS timestamptz[]), CAST(:befores AS text[]),
                                    CAST(:afters AS text[])) AS e(tenant, id, type, object, action, actor, at, before, after)""")
                .bindArray("tenants", String.class, InvoiceWrites.column(entries, Pending::tenantId))
                .bindArray("ids", String.class, InvoiceWrites.column(entries, Pending::id))
                .bindArray("types", String.class, InvoiceWrites.column(entries, Pending::objectType))
                .bindArray("objects", String.class, InvoiceWrites.column(entries, Pending::objectId))
                .bindArray("actions", String.class, InvoiceWrites.column(entries, Pending::action))
                .bindArray("actors", String.class, InvoiceWrites.column(entries, Pending::actor))
                .bindArray("ats", String.class, InvoiceWrites.column(entries, e -> InvoiceWrites.text(e.at())))
                .bindArray("befores", String.class, InvoiceWrites.column(entries, Pending::before))
                .bindArray("afters", String.class, InvoiceWrites.column(entries, Pending::after))
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
        tx.flushDeferred(); // what this transaction recorded is part of the trail it reads
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

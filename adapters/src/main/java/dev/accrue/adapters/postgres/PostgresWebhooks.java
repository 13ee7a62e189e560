package dev.accrue.adapters.postgres;

import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.webhook.WebhookDelivery;
import dev.accrue.app.webhook.WebhookEndpoint;
import dev.accrue.app.webhook.WebhookRepository;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

public final class PostgresWebhooks implements WebhookRepository {
    private final JdbiTransactions tx;

    public PostgresWebhooks(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, WebhookEndpoint e) {
        tx.handle().createUpdate("""
                        INSERT INTO webhook_endpoints (tenant_id, id, url, description, event_types, enabled, disabled_reason, secret, previous_secret,
                          previous_secret_expires_at, failing_since, consecutive_failures, created_at, updated_at)
                        VALUES (:tenant, :id, :url, :description, :types, :enabled, :reason, :secret, :previous, :previousExpires, :failingSince,
                          :failures, :created, :updated)""")
                .bind("tenant", tenantId).bindMap(columns(e)).bind("created", Rows.utc(e.createdAt())).execute();
    }

    @Override
    public void update(String tenantId, WebhookEndpoint e) {
        tx.handle().createUpdate("""
                        UPDATE webhook_endpoints SET url = :url, description = :description, event_types = :types, enabled = :enabled,
                          disabled_reason = :reason, secret = :secret, previous_secret = :previous, previous_secret_expires_at = :previousExpires,
                          failing_since = :failingSince, consecutive_failures = :failures, updated_at = :updated
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("tenant", tenantId).bindMap(columns(e)).execute();
    }

    private static Map<String, Object> columns(WebhookEndpoint e) {
        Map<String, Object> m = new HashMap<>();
        m.put("id", e.id());
        m.put("url", e.url());
        m.put("description", e.description());
        m.put("types", e.eventTypes().toArray(String[]::new));
        m.put("enabled", e.enabled());
        m.put("reason", e.disabledReason());
        m.put("secret", e.secret());
        m.put("previous", e.previousSecret());
        m.put("previousExpires", e.previousSecretExpiresAt() == null ? null : Rows.utc(e.previousSecretExpiresAt()));
        m.put("failingSince", e.failingSince() == null ? null : Rows.utc(e.failingSince()));
        m.put("failures", e.consecutiveFailures());
        m.put("updated", Rows.utc(e.updatedAt()));
        return m;
    }

    @Override
    public boolean delete(String tenantId, String id, Instant at) {
        return tx.handle().createUpdate("""
                        UPDATE webhook_endpoints SET deleted = true, enabled = false, updated_at = :at WHERE tenant_id = :tenant AND id = :id AND NOT deleted""")
                .bind("tenant", tenantId).bind("id", id).bind("at", Rows.utc(at)).execute() == 1;
    }

    @Override
    public Optional<WebhookEndpoint> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM webhook_endpoints WHERE tenant_id = :tenant AND id = :id AND NOT deleted")
                .bind("tenant", tenantId).bind("id", id).map((rs, ctx) -> endpoint(rs, "")).findOne();
    }

    @Override
    public Optional<WebhookEndpoint> lock(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM webhook_endpoints WHERE tenant_id = :tenant AND id = :id AND NOT deleted FOR UPDATE")
                .bind("tenant", tenantId).bind("id", id).map((rs, ctx) -> endpoint(rs, "")).findOne();
    }

    @Override
    public Page<WebhookEndpoint> list(String tenantId, PageRequest page) {
        return Page.fromOverfetch(tx.handle().createQuery("""
                        SELECT * FROM webhook_endpoints WHERE tenant_id = :tenant AND NOT deleted
                          AND (CAST(:after AS text) IS NULL OR id < :after) ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("limit", page.limit() + 1)
                .map((rs, ctx) -> endpoint(rs, "")).list(), page.limit());
    }

    @Override
    public List<WebhookEndpoint> subscribedTo(String tenantId, String type) {
        return tx.handle().createQuery("SELECT * FROM webhook_endpoints WHERE tenant_id = :tenant AND NOT deleted AND :type = ANY (event_types)")
                .bind("tenant", tenantId).bind("type", type).map((rs, ctx) -> endpoint(rs, "")).list();
    }

    @Override
    public boolean insertDelivery(String tenantId, WebhookDelivery d, long positionTx, long positionSequence) {
        return tx.handle().createUpdate("""
                        INSERT INTO webhook_deliveries (tenant_id, id, endpoint_id, event_id, event_type, object_id, position_tx, position_seq, payload,
                          status, next_attempt_at, created_at)
                        VALUES (:tenant, :id, :endpoint, :event, :type, :object, :ptx, :pseq, :payload, :status, :next, :created)
                        ON CONFLICT (tenant_id, endpoint_id, event_id) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", d.id()).bind("endpoint", d.endpointId()).bind("event", d.eventId()).bind("type", d.eventType())
                .bind("object", d.objectId()).bind("ptx", positionTx).bind("pseq", positionSequence).bind("payload", d.payload())
                .bind("status", d.status()).bind("next", Rows.utc(d.nextAttemptAt())).bind("created", Rows.utc(d.createdAt())).execute() == 1;
    }

    @Override
    public List<Claimed> claimDue(Instant now, Instant leaseUntil, int limit) {
        // The oldest pending delivery of each (endpoint, object) only: a later one waits while an earlier one is
        // pending (due, leased or waiting for its retry). Rows another dispatcher holds are skipped, not waited for.
        return tx.handle().createQuery("""
                        WITH due AS (
                          SELECT d.tenant_id, d.id FROM webhook_deliveries d
                          JOIN webhook_endpoints e ON e.tenant_id = d.tenant_id AND e.id = d.endpoint_id
                          WHERE d.status = 'pending' AND d.next_attempt_at <= :now AND e.enabled AND NOT e.deleted
                            AND NOT EXISTS (SELECT 1 FROM webhook_deliveries p
                                            WHERE p.tenant_id = d.tenant_id AND p.endpoint_id = d.endpoint_id AND p.object_id = d.object_id
                                              AND p.status = 'pending' AND (p.position_tx, p.position_seq) < (d.position_tx, d.position_seq))
                          ORDER BY d.next_attempt_at LIMIT :limit FOR UPDATE OF d SKIP LOCKED),
                        claimed AS (
                          UPDATE webhook_deliveries d SET next_attempt_at = :lease FROM due
                          WHERE d.tenant_id = due.tenant_id AND d.id = due.id RETURNING d.*)
                        SELECT c.*, e.id AS e_id, e.url AS e_url, e.description AS e_description, e.event_types AS e_event_types,
                          e.enabled AS e_enabled, e.disabled_reason AS e_disabled_reason, e.secret AS e_secret, e.previous_secret AS e_previous_secret,
                          e.previous_secret_expires_at AS e_previous_secret_expires_at, e.failing_since AS e_failing_since,
                          e.consecutive_failures AS e_consecutive_failures, e.created_at AS e_created_at, e.updated_at AS e_updated_at
                        FROM claimed c JOIN webhook_endpoints e ON e.tenant_id = c.tenant_id AND e.id = c.endpoint_id""")
                .bind("now", Rows.utc(now)).bind("lease", Rows.utc(leaseUntil)).bind("limit", limit)
                .map((rs, ctx) -> new Claimed(rs.getString("tenant_id"), delivery(rs), endpoint(rs, "e_"))).list();
    }

    @Override
    public void recordAttempt(String tenantId, String deliveryId, WebhookDelivery.Attempt a) {
        tx.handle().createUpdate("""
                        INSERT INTO webhook_attempts (tenant_id, delivery_id, attempt, attempted_at, outcome, status_code, duration_ms, response_body, error)
                        VALUES (:tenant, :delivery, :attempt, :at, :outcome, :code, :ms, :body, :error)
                        ON CONFLICT (tenant_id, delivery_id, attempt) DO NOTHING""")
                .bind("tenant", tenantId).bind("delivery", deliveryId).bind("attempt", a.attempt()).bind("at", Rows.utc(a.at()))
                .bind("outcome", a.outcome()).bind("code", a.statusCode()).bind("ms", (int) Math.min(Integer.MAX_VALUE, a.durationMillis()))
                .bind("body", a.responseBody()).bind("error", a.error()).execute();
    }

    @Override
    public void markDelivered(String tenantId, String deliveryId, int attempts, int statusCode, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE webhook_deliveries SET status = 'delivered', attempts = :attempts, last_status_code = :code, last_error = NULL,
                          delivered_at = :at WHERE tenant_id = :tenant AND id = :id""")
                .bind("tenant", tenantId).bind("id", deliveryId).bind("attempts", attempts).bind("code", statusCode).bind("at", Rows.utc(at)).execute();
    }

    @Override
    public void markFailedAttempt(String tenantId, String deliveryId, int attempts, Integer statusCode, String error, boolean giveUp,
                                  Instant nextAttemptAt) {
        tx.handle().createUpdate("""
                        UPDATE webhook_deliveries SET status = :status, attempts = :attempts, last_status_code = :code, last_error = :error,
                          next_attempt_at = :next WHERE tenant_id = :tenant AND id = :id""")
                .bind("tenant", tenantId).bind("id", deliveryId).bind("status", giveUp ? WebhookDelivery.FAILED : WebhookDelivery.PENDING)
                .bind("attempts", attempts).bind("code", statusCode).bind("error", error).bind("next", Rows.utc(nextAttemptAt)).execute();
    }

    @Override
    public Optional<WebhookDelivery> findDelivery(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM webhook_deliveries WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).map((rs, ctx) -> delivery(rs)).findOne();
    }

    @Override
    public Page<WebhookDelivery> deliveries(String tenantId, String endpointId, String status, PageRequest page) {
        return Page.fromOverfetch(tx.handle().createQuery("""
                        SELECT * FROM webhook_deliveries WHERE tenant_id = :tenant AND endpoint_id = :endpoint
                          AND (CAST(:status AS text) IS NULL OR status = :status) AND (CAST(:after AS text) IS NULL OR id < :after)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("endpoint", endpointId).bind("status", status).bind("after", page.startingAfter())
                .bind("limit", page.limit() + 1).map((rs, ctx) -> delivery(rs)).list(), page.limit());
    }

    @Override
    public List<WebhookDelivery.Attempt> attempts(String tenantId, String deliveryId) {
        return tx.handle().createQuery("SELECT * FROM webhook_attempts WHERE tenant_id = :tenant AND delivery_id = :id ORDER BY attempt")
                .bind("tenant", tenantId).bind("id", deliveryId)
                .map((rs, ctx) -> new WebhookDelivery.Attempt(rs.getInt("attempt"), Rows.instant(rs, "attempted_at"), rs.getString("outcome"),
                        (Integer) rs.getObject("status_code"), rs.getInt("duration_ms"), rs.getString("response_body"), rs.getString("error"))).list();
    }

    @Override
    public boolean replay(String tenantId, String deliveryId, Instant now) {
        return tx.handle().createUpdate("""
                        UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :now
                        WHERE tenant_id = :tenant AND id = :id AND status <> 'pending'""")
                .bind("tenant", tenantId).bind("id", deliveryId).bind("now", Rows.utc(now)).execute() == 1;
    }

    @Override
    public int replayFailed(String tenantId, String endpointId, Instant since, Instant now) {
        return tx.handle().createUpdate("""
                        UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :now
                        WHERE tenant_id = :tenant AND endpoint_id = :endpoint AND status = 'failed' AND created_at >= :since""")
                .bind("tenant", tenantId).bind("endpoint", endpointId).bind("since", Rows.utc(since)).bind("now", Rows.utc(now)).execute();
    }

    private static WebhookEndpoint endpoint(ResultSet rs, String p) throws SQLException {
        return new WebhookEndpoint(rs.getString(p + "id"), rs.getString(p + "url"), rs.getString(p + "description"),
                Arrays.asList((String[]) rs.getArray(p + "event_types").getArray()), rs.getBoolean(p + "enabled"), rs.getString(p + "disabled_reason"),
                rs.getString(p + "secret"), rs.getString(p + "previous_secret"), Rows.instant(rs, p + "previous_secret_expires_at"),
                Rows.instant(rs, p + "failing_since"), rs.getInt(p + "consecutive_failures"), Rows.instant(rs, p + "created_at"),
                Rows.instant(rs, p + "updated_at"));
    }

    private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
        return new WebhookDelivery(rs.getString("id"), rs.getString("endpoint_id"), rs.getString("event_id"), rs.getString("event_type"),
                rs.getString("object_id"), rs.getString("payload"), rs.getString("status"), rs.getInt("attempts"), Rows.instant(rs, "next_attempt_at"),
                (Integer) rs.getObject("last_status_code"), rs.getString("last_error"), Rows.instant(rs, "delivered_at"),
                Rows.instant(rs, "created_at"));
    }
}

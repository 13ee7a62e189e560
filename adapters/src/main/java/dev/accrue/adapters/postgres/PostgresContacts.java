package dev.accrue.adapters.postgres;

import dev.accrue.app.contact.ContactRepository;
import dev.accrue.core.contact.Contact;
import org.jdbi.v3.core.statement.PreparedBatch;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

public final class PostgresContacts implements ContactRepository {
    private final JdbiTransactions tx;

    public PostgresContacts(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public int upsert(String tenantId, String customerId, List<Contact> contacts, Instant at) {
        PreparedBatch batch = tx.handle().prepareBatch("""
                INSERT INTO contacts (tenant_id, customer_id, contact_id, email, phone, user_id, chat_replied, web_push, qualifies, updated_at)
                VALUES (:tenant, :customer, :id, :email, :phone, :user_id, :chat, :push, :qualifies, :at)
                ON CONFLICT (tenant_id, customer_id, contact_id) DO UPDATE SET email = excluded.email, phone = excluded.phone,
                  user_id = excluded.user_id, chat_replied = excluded.chat_replied, web_push = excluded.web_push,
                  qualifies = excluded.qualifies, updated_at = excluded.updated_at""");
        for (Contact c : contacts) {
            batch.bind("tenant", tenantId).bind("customer", customerId).bind("id", c.id()).bind("email", c.email()).bind("phone", c.phone())
                    .bind("user_id", c.userId()).bind("chat", c.chatReplied()).bind("push", c.webPush()).bind("qualifies", c.qualifies())
                    .bind("at", Rows.utc(at)).add();
        }
        batch.execute(); // batched row counts are not reported (SUCCESS_NO_INFO): every record was written
        return contacts.size();
    }

    @Override
    public int delete(String tenantId, String customerId, List<String> contactIds) {
        return tx.handle().createUpdate("DELETE FROM contacts WHERE tenant_id = :tenant AND customer_id = :customer AND contact_id = ANY(:ids)")
                .bind("tenant", tenantId).bind("customer", customerId).bindArray("ids", String.class, contactIds).execute();
    }

    @Override
    public long qualifyingCount(String tenantId, String customerId) {
        return tx.handle().createQuery("SELECT count(*) FROM contacts WHERE tenant_id = :tenant AND customer_id = :customer AND qualifies")
                .bind("tenant", tenantId).bind("customer", customerId).mapTo(Long.class).one();
    }

    @Override
    public void appendCount(String tenantId, String customerId, long count, String source, Instant at) {
        tx.handle().createUpdate("INSERT INTO contact_counts (tenant_id, customer_id, at, count, source) VALUES (:tenant, :customer, :at, :count, :source)")
                .bind("tenant", tenantId).bind("customer", customerId).bind("at", Rows.utc(at)).bind("count", count).bind("source", source).execute();
    }

    @Override
    public Optional<CountEntry> latest(String tenantId, String customerId) {
        return tx.handle().createQuery("""
                        SELECT count, source, at FROM contact_counts WHERE tenant_id = :tenant AND customer_id = :customer
                        ORDER BY seq DESC LIMIT 1""")
                .bind("tenant", tenantId).bind("customer", customerId)
                .map((rs, ctx) -> new CountEntry(rs.getLong("count"), rs.getString("source"), Rows.instant(rs, "at"))).findOne();
    }

    @Override
    public Optional<CountEntry> countAt(String tenantId, String customerId, Instant at) {
        return tx.handle().createQuery("""
                        SELECT count, source, at FROM contact_counts WHERE tenant_id = :tenant AND customer_id = :customer AND at <= :at
                        ORDER BY at DESC, seq DESC LIMIT 1""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("at", Rows.utc(at))
                .map((rs, ctx) -> new CountEntry(rs.getLong("count"), rs.getString("source"), Rows.instant(rs, "at"))).findOne();
    }

    @Override
    public void recordRenewal(String tenantId, Renewal r) {
        tx.handle().createUpdate("""
                        INSERT INTO counted_renewals (tenant_id, subscription_id, charge_code, period_start, plan_code, count, band, band_price,
                          monthly_price, currency)
                        VALUES (:tenant, :sub, :charge, :start, :plan, :count, :band, :band_price, :monthly, :currency)
                        ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId).bind("sub", r.subscriptionId()).bind("charge", r.chargeCode()).bind("start", r.periodStart())
                .bind("plan", r.planCode()).bind("count", r.count()).bind("band", r.band()).bind("band_price", r.bandPrice())
                .bind("monthly", r.monthlyPrice()).bind("currency", r.currency()).execute();
    }

    @Override
    public void updateRenewal(String tenantId, Renewal r) {
        tx.handle().createUpdate("""
                        UPDATE counted_renewals SET plan_code = :plan, band = :band, band_price = :band_price, monthly_price = :monthly
                        WHERE tenant_id = :tenant AND subscription_id = :sub AND charge_code = :charge AND period_start = :start""")
                .bind("tenant", tenantId).bind("sub", r.subscriptionId()).bind("charge", r.chargeCode()).bind("start", r.periodStart())
                .bind("plan", r.planCode()).bind("band", r.band()).bind("band_price", r.bandPrice()).bind("monthly", r.monthlyPrice()).execute();
    }

    @Override
    public Optional<Renewal> lastRenewal(String tenantId, String subscriptionId, String chargeCode, String planCode, LocalDate periodStart) {
        return tx.handle().createQuery("""
                        SELECT * FROM counted_renewals WHERE tenant_id = :tenant AND subscription_id = :sub AND charge_code = :charge
                          AND plan_code = :plan AND period_start < :start ORDER BY period_start DESC LIMIT 1""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("charge", chargeCode).bind("plan", planCode).bind("start", periodStart)
                .map((rs, ctx) -> renewal(rs)).findOne();
    }

    @Override
    public Optional<Renewal> renewal(String tenantId, String subscriptionId, String chargeCode, LocalDate periodStart) {
        return tx.handle().createQuery("""
                        SELECT * FROM counted_renewals WHERE tenant_id = :tenant AND subscription_id = :sub AND charge_code = :charge
                          AND period_start = :start""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("charge", chargeCode).bind("start", periodStart)
                .map((rs, ctx) -> renewal(rs)).findOne();
    }

    private static Renewal renewal(ResultSet rs) throws SQLException {
        return new Renewal(rs.getString("subscription_id"), rs.getString("charge_code"), rs.getDate("period_start").toLocalDate(),
                rs.getString("plan_code"), rs.getLong("count"), rs.getInt("band"), price(rs, "band_price"), price(rs, "monthly_price"),
                rs.getString("currency"));
    }

    /** The stored price without the column's padding zeros, but with at least the currency's minor digits (49.00). */
    private static java.math.BigDecimal price(ResultSet rs, String column) throws SQLException {
        java.math.BigDecimal v = rs.getBigDecimal(column).stripTrailingZeros();
        int digits = java.util.Currency.getInstance(rs.getString("currency")).getDefaultFractionDigits();
        return v.scale() < digits ? v.setScale(digits) : v;
    }
}

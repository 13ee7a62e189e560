package dev.accrue.adapters.postgres;

import dev.accrue.app.rental.PhoneNumber;
import dev.accrue.app.rental.PhoneNumberRepository;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

public final class PostgresPhoneNumbers implements PhoneNumberRepository {
    private static final RowMapper<PhoneNumber> NUMBER = (rs, ctx) -> new PhoneNumber(rs.getString("id"), rs.getString("subscription_id"),
            rs.getString("customer_id"), rs.getString("number"), rs.getString("country"), rs.getString("type"), rs.getString("add_on_code"),
            rs.getString("status"), rs.getBoolean("auto_pay"), rs.getObject("provisioned_on", LocalDate.class), rs.getObject("trial_ends_on", LocalDate.class),
            rs.getObject("billed_through", LocalDate.class), rs.getObject("on_hold_since", LocalDate.class), rs.getObject("hold_release_on", LocalDate.class),
            rs.getObject("released_on", LocalDate.class), Rows.instant(rs, "created_at"));
    private final JdbiTransactions tx;

    public PostgresPhoneNumbers(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, PhoneNumber n) {
        AbsentRows.adding(tx, AbsentRows.Table.PHONE_NUMBERS, tenantId, n.subscriptionId());
        tx.handle().createUpdate("""
                        INSERT INTO phone_numbers (tenant_id, id, subscription_id, customer_id, number, country, type, add_on_code, status, auto_pay,
                                                   provisioned_on, trial_ends_on, billed_through, created_at)
                        VALUES (:tenant, :id, :sub, :customer, :number, :country, :type, :addOn, :status, :autoPay, :provisioned, :trial, :billed, :at)""")
                .bind("tenant", tenantId).bind("id", n.id()).bind("sub", n.subscriptionId()).bind("customer", n.customerId()).bind("number", n.number())
                .bind("country", n.country()).bind("type", n.type()).bind("addOn", n.addOnCode()).bind("status", n.status()).bind("autoPay", n.autoPay())
                .bind("provisioned", n.provisionedOn()).bind("trial", n.trialEndsOn()).bind("billed", n.billedThrough()).bind("at", Rows.utc(n.createdAt()))
                .execute();
    }

    @Override
    public boolean numberTaken(String tenantId, String number) {
        return tx.handle().createQuery("SELECT EXISTS (SELECT 1 FROM phone_numbers WHERE tenant_id = :tenant AND number = :number)")
                .bind("tenant", tenantId).bind("number", number).mapTo(Boolean.class).one();
    }

    @Override
    public long countForCustomer(String tenantId, String customerId) {
        return tx.handle().createQuery("SELECT count(*) FROM phone_numbers WHERE tenant_id = :tenant AND customer_id = :customer")
                .bind("tenant", tenantId).bind("customer", customerId).mapTo(Long.class).one();
    }

    @Override
    public List<PhoneNumber> forSubscription(String tenantId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.PHONE_NUMBERS, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("SELECT * FROM phone_numbers WHERE tenant_id = :tenant AND subscription_id = :sub ORDER BY id")
                .bind("tenant", tenantId).bind("sub", subscriptionId).map(NUMBER).list();
    }

    @Override
    public Optional<PhoneNumber> find(String tenantId, String subscriptionId, String id) {
        return tx.handle().createQuery("SELECT * FROM phone_numbers WHERE tenant_id = :tenant AND subscription_id = :sub AND id = :id")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("id", id).map(NUMBER).findOne();
    }

    @Override
    public void setBilledThrough(String tenantId, String id, LocalDate billedThrough) {
        update("UPDATE phone_numbers SET billed_through = :d WHERE tenant_id = :tenant AND id = :id", tenantId, id, billedThrough);
    }

    @Override
    public void hold(String tenantId, String id, LocalDate since, LocalDate releaseOn) {
        tx.handle().createUpdate("""
                        UPDATE phone_numbers SET status = 'on_hold', on_hold_since = :since, hold_release_on = :release
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("since", since).bind("release", releaseOn).bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void activate(String tenantId, String id, LocalDate billedThrough) {
        update("""
                UPDATE phone_numbers SET status = 'active', billed_through = :d, on_hold_since = NULL, hold_release_on = NULL
                WHERE tenant_id = :tenant AND id = :id""", tenantId, id, billedThrough);
    }

    @Override
    public void release(String tenantId, String id, LocalDate on) {
        update("UPDATE phone_numbers SET status = 'released', released_on = :d, hold_release_on = NULL WHERE tenant_id = :tenant AND id = :id",
                tenantId, id, on);
    }

    @Override
    public void setAutoPay(String tenantId, String id, boolean autoPay) {
        tx.handle().createUpdate("UPDATE phone_numbers SET auto_pay = :v WHERE tenant_id = :tenant AND id = :id")
                .bind("v", autoPay).bind("tenant", tenantId).bind("id", id).execute();
    }

    private void update(String sql, String tenantId, String id, LocalDate d) {
        tx.handle().createUpdate(sql).bind("d", d).bind("tenant", tenantId).bind("id", id).execute();
    }
}

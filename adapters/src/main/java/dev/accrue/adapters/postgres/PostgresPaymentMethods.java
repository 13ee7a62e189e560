package dev.accrue.adapters.postgres;

import dev.accrue.app.payment.PaymentMethod;
import dev.accrue.app.payment.PaymentMethodRepository;
import dev.accrue.app.payment.PaymentSettings;
import dev.accrue.core.customer.BillingAddress;
import dev.accrue.core.payment.DunningPolicy;
import org.jdbi.v3.core.mapper.RowMapper;

import java.sql.Array;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

public final class PostgresPaymentMethods implements PaymentMethodRepository {
    private static final RowMapper<PaymentMethod> METHOD = (rs, ctx) -> new PaymentMethod(rs.getString("id"), rs.getString("customer_id"),
            rs.getString("gateway"), rs.getString("token"), rs.getString("kind"), rs.getString("brand"), rs.getString("last4"),
            (Integer) rs.getObject("exp_month"), (Integer) rs.getObject("exp_year"), rs.getString("mandate_reference"),
            rs.getString("billing_address") == null ? null : StoredJson.read(rs.getString("billing_address"), BillingAddress.class),
            (Integer) rs.getObject("priority"), rs.getString("status"), Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"));
    private final JdbiTransactions tx;

    public PostgresPaymentMethods(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public Optional<PaymentSettings> settings(String tenantId) {
        return tx.handle().createQuery("SELECT * FROM payment_settings WHERE tenant_id = :tenant").bind("tenant", tenantId)
                .map((rs, ctx) -> new PaymentSettings(new DunningPolicy(ints(rs.getArray("retry_days")), rs.getInt("grace_days")),
                        Arrays.asList((String[]) rs.getArray("accepted_card_brands").getArray())))
                .findOne();
    }

    private static List<Integer> ints(Array a) throws java.sql.SQLException {
        return Arrays.asList((Integer[]) a.getArray());
    }

    @Override
    public void saveSettings(String tenantId, PaymentSettings s, Instant at) {
        tx.handle().createUpdate("""
                        INSERT INTO payment_settings (tenant_id, retry_days, grace_days, accepted_card_brands, updated_at)
                        VALUES (:tenant, :retry, :grace, :brands, :at)
                        ON CONFLICT (tenant_id) DO UPDATE SET retry_days = EXCLUDED.retry_days, grace_days = EXCLUDED.grace_days,
                            accepted_card_brands = EXCLUDED.accepted_card_brands, updated_at = EXCLUDED.updated_at""")
                .bind("tenant", tenantId).bind("retry", s.dunning().retryDays().toArray(new Integer[0])).bind("grace", s.dunning().graceDays())
                .bind("brands", s.acceptedCardBrands().toArray(new String[0])).bind("at", Rows.utc(at)).execute();
    }

    @Override
    public Optional<String> gatewayCustomer(String tenantId, String customerId, String gateway) {
        return tx.handle().createQuery("SELECT reference FROM gateway_customers WHERE tenant_id = :tenant AND customer_id = :customer AND gateway = :gateway")
                .bind("tenant", tenantId).bind("customer", customerId).bind("gateway", gateway).mapTo(String.class).findOne();
    }

    @Override
    public String saveGatewayCustomer(String tenantId, String customerId, String gateway, String reference) {
        tx.handle().createUpdate("""
                        INSERT INTO gateway_customers (tenant_id, customer_id, gateway, reference) VALUES (:tenant, :customer, :gateway, :ref)
                        ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId).bind("customer", customerId).bind("gateway", gateway).bind("ref", reference).execute();
        return gatewayCustomer(tenantId, customerId, gateway).orElseThrow();
    }

    @Override
    public void lockCustomer(String tenantId, String customerId) {
        tx.handle().createQuery("SELECT pg_advisory_xact_lock(hashtextextended('payment_methods:' || :tenant || ':' || :customer, 0))")
                .bind("tenant", tenantId).bind("customer", customerId).mapTo(String.class).one();
    }

    @Override
    public void lockCustomers(String tenantId, List<String> customerIds) {
        // a function scan of unnest yields the array in order: the locks are taken in the order given
        tx.handle().createQuery("""
                        SELECT count(pg_advisory_xact_lock(hashtextextended('payment_methods:' || :tenant || ':' || c, 0)))
                        FROM unnest(CAST(:customers AS text[])) AS u(c)""")
                .bind("tenant", tenantId).bindArray("customers", String.class, customerIds).mapTo(Long.class).one();
    }

    @Override
    public Map<String, List<PaymentMethod>> activeOf(String tenantId, List<String> customerIds) {
        Map<String, List<PaymentMethod>> out = new HashMap<>();
        tx.handle().createQuery("""
                        SELECT * FROM payment_methods WHERE tenant_id = :tenant AND customer_id = ANY (:customers) AND status = 'active'
                        ORDER BY customer_id, priority, id""")
                .bind("tenant", tenantId).bindArray("customers", String.class, customerIds).map(METHOD)
                .forEach(m -> out.computeIfAbsent(m.customerId(), k -> new ArrayList<>()).add(m));
        return out;
    }

    @Override
    public Map<String, String> gatewayCustomers(String tenantId, List<String> customerIds, String gateway) {
        Map<String, String> out = new HashMap<>();
        tx.handle().createQuery("""
                        SELECT customer_id, reference FROM gateway_customers WHERE tenant_id = :tenant AND customer_id = ANY (:customers) AND gateway = :gateway""")
                .bind("tenant", tenantId).bindArray("customers", String.class, customerIds).bind("gateway", gateway)
                .map((rs, ctx) -> Map.entry(rs.getString("customer_id"), rs.getString("reference")))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    @Override
    public List<PaymentMethod> active(String tenantId, String customerId) {
        return tx.handle().createQuery("""
                        SELECT * FROM payment_methods WHERE tenant_id = :tenant AND customer_id = :customer AND status = 'active' ORDER BY priority, id""")
                .bind("tenant", tenantId).bind("customer", customerId).map(METHOD).list();
    }

    @Override
    public Optional<PaymentMethod> find(String tenantId, String customerId, String id) {
        return tx.handle().createQuery("SELECT * FROM payment_methods WHERE tenant_id = :tenant AND customer_id = :customer AND id = :id")
                .bind("tenant", tenantId).bind("customer", customerId).bind("id", id).map(METHOD).findOne();
    }

    @Override
    public void insert(String tenantId, PaymentMethod m) {
        tx.handle().createUpdate("""
                        INSERT INTO payment_methods (tenant_id, id, customer_id, gateway, token, kind, brand, last4, exp_month, exp_year, mandate_reference,
                            billing_address, priority, status, created_at, updated_at)
                        VALUES (:tenant, :id, :customer, :gateway, :token, :kind, :brand, :last4, :m, :y, :mandate, CAST(:address AS jsonb), :priority,
                            :status, :created, :updated)""")
                .bind("tenant", tenantId).bind("id", m.id()).bind("customer", m.customerId()).bind("gateway", m.gateway()).bind("token", m.token())
                .bind("kind", m.kind()).bind("brand", m.brand()).bind("last4", m.last4()).bind("m", m.expMonth()).bind("y", m.expYear())
                .bind("mandate", m.mandateReference()).bind("address", m.billingAddress() == null ? null : StoredJson.write(m.billingAddress()))
                .bind("priority", m.priority()).bind("status", m.status()).bind("created", Rows.utc(m.createdAt())).bind("updated", Rows.utc(m.updatedAt()))
                .execute();
    }

    @Override
    public void update(String tenantId, PaymentMethod m, Instant at) {
        tx.handle().createUpdate("""
                        UPDATE payment_methods SET exp_month = :m, exp_year = :y, billing_address = CAST(:address AS jsonb), priority = :priority,
                            status = :status, updated_at = :at
                        WHERE tenant_id = :tenant AND id = :id""")
                .bind("m", m.expMonth()).bind("y", m.expYear()).bind("address", m.billingAddress() == null ? null : StoredJson.write(m.billingAddress()))
                .bind("priority", m.priority()).bind("status", m.status()).bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", m.id()).execute();
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.coupon.CouponRepository;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.coupon.Coupon;
import dev.accrue.core.money.Money;

import java.sql.Array;
import java.sql.Date;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class PostgresCoupons implements CouponRepository {
    private final JdbiTransactions tx;

    public PostgresCoupons(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean insert(String tenantId, Coupon c, Instant at) {
        return tx.handle().createUpdate("""
                        INSERT INTO coupons (tenant_id, id, code, name, percent_off, amount_off, currency, duration, duration_periods, plans, charges,
                          expires_on, max_redemptions, created_at)
                        VALUES (:tenant, :id, :code, :name, :percent, :amount, :currency, :duration, :periods, :plans, :charges, :expires, :max, :at)
                        ON CONFLICT (tenant_id, code) DO NOTHING""")
                .bind("tenant", tenantId).bind("id", c.id()).bind("code", c.code()).bind("name", c.name()).bind("percent", c.percentOff())
                .bind("amount", c.amountOff() == null ? null : c.amountOff().amount())
                .bind("currency", c.amountOff() == null ? null : c.amountOff().currency().getCurrencyCode())
                .bind("duration", c.duration()).bind("periods", c.durationPeriods())
                .bind("plans", c.plans().toArray(String[]::new)).bind("charges", c.charges().toArray(String[]::new))
                .bind("expires", c.expiresOn()).bind("max", c.maxRedemptions()).bind("at", Rows.utc(at)).execute() == 1;
    }

    @Override
    public Optional<Coupon> find(String tenantId, String code) {
        return tx.handle().createQuery("SELECT * FROM coupons WHERE tenant_id = :tenant AND code = :code")
                .bind("tenant", tenantId).bind("code", code).map((rs, ctx) -> coupon(rs)).findOne();
    }

    @Override
    public boolean countRedemption(String tenantId, String couponId) {
        return tx.handle().createUpdate("""
                        UPDATE coupons SET redemptions = redemptions + 1
                        WHERE tenant_id = :tenant AND id = :id AND (max_redemptions IS NULL OR redemptions < max_redemptions)""")
                .bind("tenant", tenantId).bind("id", couponId).execute() == 1;
    }

    @Override
    public boolean redeem(String tenantId, String id, String couponId, String customerId, String subscriptionId, Instant at) {
        if (subscriptionId == null) {
            AbsentRows.addingForCustomer(tx, AbsentRows.Table.COUPON_REDEMPTIONS);
        } else {
            AbsentRows.adding(tx, AbsentRows.Table.COUPON_REDEMPTIONS, tenantId, subscriptionId);
        }
        return tx.handle().createUpdate("""
                        INSERT INTO coupon_redemptions (tenant_id, id, coupon_id, customer_id, subscription_id, created_at)
                        VALUES (:tenant, :id, :coupon, :customer, :sub, :at) ON CONFLICT DO NOTHING""")
                .bind("tenant", tenantId).bind("id", id).bind("coupon", couponId).bind("customer", customerId).bind("sub", subscriptionId)
                .bind("at", Rows.utc(at)).execute() == 1;
    }

    @Override
    public List<Active> redemptionsFor(String tenantId, String customerId, String subscriptionId) {
        if (AbsentRows.known(tx, AbsentRows.Table.COUPON_REDEMPTIONS, tenantId, subscriptionId)) {
            return List.of();
        }
        return tx.handle().createQuery("""
                        SELECT r.id AS redemption_id, r.subscription_id AS redeemed_by_subscription, r.applied, c.* FROM coupon_redemptions r
                        JOIN coupons c ON c.tenant_id = r.tenant_id AND c.id = r.coupon_id
                        WHERE r.tenant_id = :tenant
                          AND (r.subscription_id = :sub OR (r.subscription_id IS NULL AND r.customer_id = :customer))
                        ORDER BY r.id FOR UPDATE OF r""")
                .bind("tenant", tenantId).bind("sub", subscriptionId).bind("customer", customerId)
                .map((rs, ctx) -> new Active(rs.getString("redemption_id"), rs.getString("redeemed_by_subscription"), coupon(rs), rs.getInt("applied")))
                .list();
    }

    @Override
    public List<Coupon> list(String tenantId, boolean includeArchived, PageRequest page) {
        return tx.handle().createQuery("""
                        SELECT * FROM coupons WHERE tenant_id = :tenant AND (:after IS NULL OR id < :after)
                          AND (:archived OR archived_at IS NULL)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("archived", includeArchived).bind("limit", page.limit() + 1)
                .map((rs, ctx) -> coupon(rs)).list();
    }

    @Override
    public boolean archive(String tenantId, String couponId, Instant at) {
        return tx.handle().createUpdate("UPDATE coupons SET archived_at = :at WHERE tenant_id = :tenant AND id = :id AND archived_at IS NULL")
                .bind("at", Rows.utc(at)).bind("tenant", tenantId).bind("id", couponId).execute() == 1;
    }

    @Override
    public void applied(String tenantId, String redemptionId, String billingKey) {
        tx.handle().createUpdate("""
                        WITH counted AS (
                          INSERT INTO coupon_applications (tenant_id, billing_key, redemption_id) VALUES (:tenant, :key, :id)
                          ON CONFLICT DO NOTHING RETURNING redemption_id)
                        UPDATE coupon_redemptions SET applied = applied + 1
                        WHERE tenant_id = :tenant AND id IN (SELECT redemption_id FROM counted)""")
                .bind("tenant", tenantId).bind("id", redemptionId).bind("key", billingKey).execute();
    }

    @Override
    public void withdraw(String tenantId, String billingKey) {
        tx.handle().createUpdate("""
                        WITH gone AS (
                          DELETE FROM coupon_applications WHERE tenant_id = :tenant AND billing_key = :key RETURNING redemption_id)
                        UPDATE coupon_redemptions SET applied = applied - 1
                        WHERE tenant_id = :tenant AND id IN (SELECT redemption_id FROM gone)""")
                .bind("tenant", tenantId).bind("key", billingKey).execute();
    }

    private static Coupon coupon(ResultSet rs) throws SQLException {
        String currency = rs.getString("currency");
        Date expires = rs.getDate("expires_on");
        return new Coupon(rs.getString("id"), rs.getString("code"), rs.getString("name"),
                rs.getBigDecimal("percent_off") == null ? null : rs.getBigDecimal("percent_off").stripTrailingZeros(),
                currency == null ? null : Money.of(rs.getBigDecimal("amount_off"), currency), rs.getString("duration"),
                (Integer) rs.getObject("duration_periods"), strings(rs.getArray("plans")), strings(rs.getArray("charges")),
                expires == null ? null : expires.toLocalDate(), (Integer) rs.getObject("max_redemptions"), rs.getInt("redemptions"),
                rs.getObject("archived_at") != null);
    }

    private static List<String> strings(Array a) throws SQLException {
        return a == null ? List.of() : List.of((String[]) a.getArray());
    }
}

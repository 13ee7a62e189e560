package dev.accrue.app.coupon;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.coupon.Coupon;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.Subscription;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Coupons: defined by the operator, redeemed by a subscription or a customer, applied by {@link InvoiceDiscounts} to its next
 * invoices. A redemption is refused, changing nothing, when the coupon is expired in the customer's today
 * ({@code coupon_expired}), has reached its redemption limit ({@code coupon_limit_reached}, counted by one
 * conditional update so concurrent redemptions never overshoot), is a fixed amount in another currency than the
 * customer's ({@code currency_mismatch}), is archived ({@code coupon_archived}), or is restricted to plans the
 * subscription is not on.
 */
public final class CouponService {
    private static final Set<String> DURATIONS = Set.of(Coupon.ONCE, Coupon.REPEATING, Coupon.FOREVER);
    private final Transactions tx;
    private final CouponRepository coupons;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CustomerTime time;
    private final AuditLog audit;

    public CouponService(Transactions tx, CouponRepository coupons, SubscriptionRepository subscriptions, CustomerRepository customers,
                         CustomerTime time, AuditLog audit) {
        this.tx = tx;
        this.coupons = coupons;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.time = time;
        this.audit = audit;
    }

    public record NewCoupon(String code, String name, BigDecimal percentOff, BigDecimal amountOff, String currency, String duration,
                            Integer durationPeriods, List<String> plans, List<String> charges, LocalDate expiresOn, Integer maxRedemptions) {
    }

    /** {@code subscriptionId} null for a redemption by the customer. */
    public record Redemption(String id, String customerId, String subscriptionId, Coupon coupon) {
    }

    public Coupon create(Caller caller, NewCoupon c) {
        caller.requireWrite();
        if (c.code() == null || !c.code().matches("[A-Za-z0-9_-]{1,64}")) {
            throw AccrueException.invalid("code", "code is 1 to 64 letters, digits, '_' or '-'");
        }
        String name = c.name() == null || c.name().isBlank() ? c.code() : c.name().strip();
        if ((c.percentOff() == null) == (c.amountOff() == null)) {
            throw AccrueException.invalid("percent_off", "Give exactly one of percent_off and amount_off");
        }
        Money amountOff = null;
        if (c.percentOff() != null && (c.percentOff().signum() <= 0 || c.percentOff().compareTo(BigDecimal.valueOf(100)) > 0
                || c.percentOff().stripTrailingZeros().scale() > 4)) {
            throw new AccrueException(ErrorCode.INVALID_AMOUNT, "percent_off", "percent_off is more than 0 and at most 100 (4 decimals at most)");
        }
        if (c.amountOff() != null) {
            if (c.currency() == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, "currency", "A fixed-amount coupon names its currency");
            }
            amountOff = new Money(c.amountOff(), Money.currency(c.currency()));
            if (!amountOff.isPositive() || amountOff.amount().scale() > amountOff.minorUnitDigits()) {
                throw new AccrueException(ErrorCode.INVALID_AMOUNT, "amount_off", "amount_off is more than 0, in whole minor units of " + c.currency());
            }
        }
        String duration = c.duration() == null ? Coupon.ONCE : c.duration();
        if (!DURATIONS.contains(duration)) {
            throw AccrueException.invalid("duration", "duration is one of " + DURATIONS);
        }
        if (Coupon.REPEATING.equals(duration) != (c.durationPeriods() != null) || c.durationPeriods() != null && c.durationPeriods() < 1) {
            throw AccrueException.invalid("duration_periods", "duration_periods (≥ 1) is given for, and only for, duration repeating");
        }
        if (c.maxRedemptions() != null && c.maxRedemptions() < 1) {
            throw AccrueException.invalid("max_redemptions", "max_redemptions is at least 1");
        }
        Coupon coupon = new Coupon(Ids.next("cpn"), c.code(), name, c.percentOff(), amountOff, duration, c.durationPeriods(),
                c.plans() == null ? List.of() : List.copyOf(c.plans()), c.charges() == null ? List.of() : List.copyOf(c.charges()),
                c.expiresOn(), c.maxRedemptions(), 0, false);
        return tx.inTransaction(() -> {
            if (!coupons.insert(caller.tenantId(), coupon, time.systemNow())) {
                throw new AccrueException(ErrorCode.ALREADY_EXISTS, "code", "A coupon with code " + c.code() + " exists");
            }
            audit.record(caller, "coupon", coupon.id(), "coupon.created", null, Map.of("code", coupon.code(), "discount", coupon.label()));
            return coupon;
        });
    }

    public Coupon get(Caller caller, String code) {
        return tx.inTransaction(() -> coupons.find(caller.tenantId(), code)).orElseThrow(() -> AccrueException.notFound("coupon", code));
    }

    /** The tenant's coupons newest first; archived ones only when {@code includeArchived}. */
    public Page<Coupon> list(Caller caller, boolean includeArchived, PageRequest page) {
        return tx.inTransaction(() -> Page.fromOverfetch(coupons.list(caller.tenantId(), includeArchived, page), page.limit()));
    }

    /** Stops new redemptions of the coupon; those already made go on discounting as their duration says. */
    public Coupon archive(Caller caller, String code) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Coupon coupon = coupons.find(caller.tenantId(), code).orElseThrow(() -> AccrueException.notFound("coupon", code));
            if (coupons.archive(caller.tenantId(), coupon.id(), time.systemNow())) {
                audit.record(caller, "coupon", coupon.id(), "coupon.archived", null, Map.of("code", code));
            }
            return coupons.find(caller.tenantId(), code).orElseThrow();
        });
    }

    /** Redeems the coupon for one subscription's next invoices. */
    public Redemption redeem(Caller caller, String subscriptionId, String code) {
        caller.requireWrite();
        requireCode(code);
        String tenantId = caller.tenantId();
        return tx.inTransaction(() -> {
            Subscription sub = subscriptions.find(tenantId, subscriptionId).orElseThrow(() -> AccrueException.notFound("subscription", subscriptionId));
            Coupon coupon = coupons.find(tenantId, code).orElseThrow(() -> AccrueException.notFound("coupon", code));
            Customer customer = customers.find(tenantId, sub.customerId()).orElseThrow();
            requireRedeemable(tenantId, coupon, customer);
            if (!coupon.plans().isEmpty() && !coupon.plans().contains(sub.planCode())) {
                throw AccrueException.invalid("coupon", "Coupon " + code + " is for plans " + coupon.plans() + ", not " + sub.planCode());
            }
            return record(caller, coupon, customer, subscriptionId, "subscription", subscriptionId);
        });
    }

    /**
     * Redeems the coupon for the customer: it discounts each of their next invoices, whatever the subscription, for
     * as many invoices as its duration says; a coupon limited to plans discounts only invoices of subscriptions on
     * those plans.
     */
    public Redemption redeemForCustomer(Caller caller, String customerId, String code) {
        caller.requireWrite();
        requireCode(code);
        String tenantId = caller.tenantId();
        return tx.inTransaction(() -> {
            Customer customer = customers.find(tenantId, customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            Coupon coupon = coupons.find(tenantId, code).orElseThrow(() -> AccrueException.notFound("coupon", code));
            requireRedeemable(tenantId, coupon, customer);
            return record(caller, coupon, customer, null, "customer", customerId);
        });
    }

    private static void requireCode(String code) {
        if (code == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "coupon", "coupon (its code) is required");
        }
    }

    private void requireRedeemable(String tenantId, Coupon coupon, Customer customer) {
        String code = coupon.code();
        if (coupon.archived()) {
            throw new AccrueException(ErrorCode.COUPON_ARCHIVED, "coupon", "Coupon " + code + " is archived and can no longer be redeemed");
        }
        LocalDate today = time.today(tenantId, customer);
        if (coupon.expiresOn() != null && today.isAfter(coupon.expiresOn())) {
            throw new AccrueException(ErrorCode.COUPON_EXPIRED, "coupon", "Coupon " + code + " expired on " + coupon.expiresOn());
        }
        if (coupon.amountOff() != null && !coupon.amountOff().currency().equals(customer.currency())) {
            throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "coupon", "Coupon " + code + " is in " + coupon.amountOff().currency().getCurrencyCode()
                    + "; the customer is billed in " + customer.currency().getCurrencyCode());
        }
    }

    /** Writes the redemption and counts it against the coupon's limit; the audit entry goes on what redeemed it. */
    private Redemption record(Caller caller, Coupon coupon, Customer customer, String subscriptionId, String objectType, String objectId) {
        String tenantId = caller.tenantId();
        String id = Ids.next("dsc");
        if (!coupons.redeem(tenantId, id, coupon.id(), customer.id(), subscriptionId, time.systemNow())) {
            throw new AccrueException(ErrorCode.ALREADY_EXISTS, "coupon", objectType + " " + objectId + " already redeemed " + coupon.code());
        }
        if (!coupons.countRedemption(tenantId, coupon.id())) {
            throw new AccrueException(ErrorCode.COUPON_LIMIT_REACHED, "coupon", "Coupon " + coupon.code() + " reached its limit of "
                    + coupon.maxRedemptions() + " redemptions");
        }
        audit.record(caller, objectType, objectId, "coupon.redeemed", null, Map.of("coupon", coupon.code(), "redemption", id));
        return new Redemption(id, customer.id(), subscriptionId, coupons.find(tenantId, coupon.code()).orElseThrow());
    }
}

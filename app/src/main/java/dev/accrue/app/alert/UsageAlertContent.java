package dev.accrue.app.alert;

import dev.accrue.app.event.EventTypes;
import dev.accrue.core.alert.Thresholds;
import dev.accrue.core.alert.UsagePace;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.catalog.Overage;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.money.Money;
import dev.accrue.core.rating.RatedUsage;
import dev.accrue.core.rating.UsagePricer;
import dev.accrue.core.rating.UsageRating;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.core.time.RoundingPolicy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the usage alerts of one allowance window say, from figures already read: a threshold reached (usage, limit,
 * percent used, the day the limit is reached at the window's pace) and the projected-overage warnings. Pure: the
 * tenant's rounding (read once per pass, when some window projects) prices the projected overage.
 */
record UsageAlertContent(String tenantId, Subscription sub, Customer customer, Metric metric, MeteredCharge charge, Period window,
                         BigDecimal included, BigDecimal used, Instant now, RoundingPolicy rounding) {

    String subject() {
        return sub.id() + "/" + metric.code();
    }

    AlertFiring.Firing threshold(String audience, Thresholds.Reached r) {
        Map<String, Object> data = base();
        boolean user = !audience.equals(FiredAlert.PLAN) && !audience.equals(FiredAlert.CUSTOMER);
        data.put("audience", user ? "user" : audience);
        if (user) {
            data.put("user_email", audience);
        }
        data.put("threshold", r.threshold().key());
        data.put("threshold_usage", plain(r.limit()));
        // the limit is the allowance; a pay-as-you-go metric (nothing included) has only its absolute thresholds
        BigDecimal limit = included.signum() > 0 ? included : r.limit();
        data.put("limit", plain(limit));
        data.put("limit_reached_on", UsagePace.dateReached(used, limit, window.startInstant(customer.timeZone()), now,
                window.endInstant(customer.timeZone()), customer.timeZone()).map(LocalDate::toString).orElse(null));
        return firing(FiredAlert.USAGE_THRESHOLD, EventTypes.USAGE_THRESHOLD_REACHED, audience, r.threshold().key(), data);
    }

    /**
     * Projected overage: the completed days' trend carried to the window end ({@link UsagePace#projectedTotal}); warns
     * when it passes the allowance, and when its overage would pass the cap.
     */
    List<AlertFiring.Firing> projections(List<BigDecimal> completedDays) {
        List<AlertFiring.Firing> out = new ArrayList<>();
        boolean capped = charge.overage().policy() == Overage.OveragePolicy.CHARGE_UP_TO_CAP;
        var projected = UsagePace.projectedTotal(completedDays, used, (int) window.days());
        if (projected.isEmpty() || included.signum() <= 0 && !capped) {
            return out;
        }
        BigDecimal total = projected.get();
        boolean pastAllowance = included.signum() > 0 && total.compareTo(included) > 0;
        String currency = customer.currency().getCurrencyCode();
        BigDecimal capAmount = capped ? charge.overage().cap().get(currency) : null;
        Money uncapped = capAmount == null || charge.pricing() == null ? null
                : UsagePricer.price(charge.pricing(), currency, total.subtract(included).max(BigDecimal.ZERO));
        boolean pastCap = uncapped != null && uncapped.compareTo(Money.of(capAmount, currency)) > 0;
        if (!pastAllowance && !pastCap) {
            return out;
        }
        Map<String, Object> data = base();
        data.put("projected_usage", plain(total));
        data.put("projected_overage", plain(total.subtract(included).max(BigDecimal.ZERO)));
        data.put("days_elapsed", completedDays.size());
        data.put("currency", currency);
        RatedUsage rated = charge.pricing() == null ? null
                : UsageRating.rate(total, included, charge.pricing(), charge.overage(), currency, rounding);
        data.put("projected_overage_cost", rated == null ? null : rated.amount().toPlainMinorString());
        if (pastAllowance) {
            Map<String, Object> allowance = new TreeMap<>(data);
            allowance.put("exceeds", "allowance");
            out.add(firing(FiredAlert.OVERAGE_PROJECTED, EventTypes.USAGE_OVERAGE_PROJECTED, FiredAlert.PLAN, "allowance", allowance));
        }
        if (pastCap) {
            Map<String, Object> cap = new TreeMap<>(data);
            cap.put("exceeds", "cap");
            cap.put("cap", Money.of(capAmount, currency).toPlainMinorString());
            cap.put("projected_uncapped_cost", rounding.apply(uncapped).toPlainMinorString());
            out.add(firing(FiredAlert.OVERAGE_PROJECTED, EventTypes.USAGE_OVERAGE_PROJECTED, FiredAlert.PLAN, "cap", cap));
        }
        return out;
    }

    private Map<String, Object> base() {
        Map<String, Object> data = new TreeMap<>();
        data.put("customer_id", customer.id());
        data.put("subscription_id", sub.id());
        data.put("metric", metric.code());
        data.put("resource", metric.name() == null ? metric.code() : metric.name());
        data.put("unit", metric.unit());
        data.put("charge", charge.code());
        data.put("usage", plain(used));
        data.put("included", plain(included));
        BigDecimal percent = Thresholds.percentUsed(used, included);
        data.put("percent_used", percent == null ? null : percent.toPlainString());
        data.put("window_start", window.start().toString());
        data.put("window_end", window.end().toString());
        return data;
    }

    private AlertFiring.Firing firing(String kind, String type, String audience, String threshold, Map<String, Object> data) {
        return new AlertFiring.Firing(new AlertFiring.Alert(tenantId, customer.id(), "subscription", sub.id(), kind, type, subject(), window,
                audience, threshold), data, now);
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}

package dev.accrue.app.alert;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.alert.Thresholds;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.math.BigDecimal;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The alert thresholds customers set for themselves and for their users (by email), and the alerts that fired.
 * Bad thresholds (a percentage outside 1–1000, an amount ≤ 0, a duplicate) are refused naming the exact entry,
 * and change nothing.
 */
public final class UsageAlertService {
    public static final int MAX_THRESHOLDS = 20;
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]{1,64}@[^@\\s]{1,189}\\.[^@\\s]{1,63}$");
    private final Transactions tx;
    private final AlertRepository alerts;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final CatalogService catalogs;
    private final AuditLog audit;
    private final Clock clock;

    public UsageAlertService(Transactions tx, AlertRepository alerts, CustomerRepository customers, SubscriptionRepository subscriptions,
                             CatalogService catalogs, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.alerts = alerts;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.audit = audit;
        this.clock = clock;
    }

    public record NewRule(String metric, String userEmail, List<BigDecimal> percents, List<BigDecimal> amounts) {
    }

    public UsageAlertRule create(Caller caller, String customerId, NewRule body) {
        caller.requireWrite();
        if (body.metric() == null || body.metric().isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "metric", "metric is required");
        }
        String email = body.userEmail() == null ? null : body.userEmail().strip().toLowerCase(Locale.ROOT);
        if (email != null && (email.length() > 254 || !EMAIL.matcher(email).matches())) {
            throw AccrueException.invalid("user_email", "user_email must be an email address (at most 254 characters)");
        }
        List<BigDecimal> percents = checked("percents", body.percents(), Thresholds::percentError);
        List<BigDecimal> amounts = checked("amounts", body.amounts(), Thresholds::amountError);
        if (percents.isEmpty() && amounts.isEmpty()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "percents", "give at least one threshold in percents or amounts");
        }
        return tx.inTransaction(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            boolean metered = subscriptions.forCustomer(caller.tenantId(), customerId).stream()
                    .anyMatch(s -> catalogs.catalog(caller.tenantId(), s.catalogVersion()).metric(body.metric()).isPresent());
            if (!metered) {
                throw new AccrueException(ErrorCode.UNKNOWN_METRIC, "metric",
                        "No subscription of customer " + customerId + " has a metric '" + body.metric() + "' in its catalog");
            }
            UsageAlertRule rule = new UsageAlertRule(Ids.next("ual"), customerId, email, body.metric(), percents, amounts, clock.instant());
            if (!alerts.insertRule(caller.tenantId(), rule)) {
                throw new AccrueException(ErrorCode.ALREADY_EXISTS, "metric", "Customer " + customerId + " already has alerts on " + body.metric()
                        + (email == null ? "" : " for " + email) + "; delete them first");
            }
            audit.record(caller, "usage_alert_rule", rule.id(), "usage_alert_rule.created", null, rule);
            return rule;
        });
    }

    public List<UsageAlertRule> list(Caller caller, String customerId) {
        return tx.inTransaction(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            return alerts.rules(caller.tenantId(), customerId);
        });
    }

    public void delete(Caller caller, String customerId, String ruleId) {
        caller.requireWrite();
        tx.run(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            if (!alerts.deleteRule(caller.tenantId(), customerId, ruleId)) {
                throw AccrueException.notFound("usage alert rule", ruleId);
            }
            audit.record(caller, "usage_alert_rule", ruleId, "usage_alert_rule.deleted", null, null);
        });
    }

    /** The customer's fired alerts (usage thresholds, projected overage, budgets), newest first. */
    public List<FiredAlert> fired(Caller caller, String customerId, int limit) {
        if (limit < 1 || limit > 100) {
            throw AccrueException.invalid("limit", "limit must be 1-100");
        }
        return tx.inTransaction(() -> {
            customers.find(caller.tenantId(), customerId).orElseThrow(() -> AccrueException.notFound("customer", customerId));
            return alerts.fired(caller.tenantId(), customerId, limit);
        });
    }

    interface Check {
        String error(BigDecimal value);
    }

    /** Each value checked (the error names its index), no duplicates, at most {@link #MAX_THRESHOLDS}; sorted. */
    static List<BigDecimal> checked(String field, List<BigDecimal> values, Check check) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_THRESHOLDS) {
            throw AccrueException.invalid(field, "at most " + MAX_THRESHOLDS + " thresholds, got " + values.size());
        }
        Set<BigDecimal> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            String error = check.error(values.get(i));
            if (error != null) {
                throw AccrueException.invalid(field + "[" + i + "]", error);
            }
            if (!seen.add(values.get(i).stripTrailingZeros())) {
                throw AccrueException.invalid(field + "[" + i + "]", values.get(i).toPlainString() + " is listed twice");
            }
        }
        return values.stream().map(BigDecimal::stripTrailingZeros).sorted().toList();
    }
}

package dev.accrue.app.pricechange;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.billing.InvoiceIssuer;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.catalog.CatalogVersion;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.time.Period;
import dev.accrue.app.pricechange.PriceMigration.Move;
import dev.accrue.app.pricechange.PriceMigration.Policy;
import dev.accrue.app.pricechange.PriceMigrationRepository.Stored;
import dev.accrue.app.pricechange.PriceMigrationRepository.StoredMove;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Price changes for existing customers (issue 16 point 11). A new catalog version applies to new subscriptions; for the
 * subscriptions still on an older version of a plan the tenant decides, per plan and version, to grandfather them or to
 * migrate them on a date. A migration notifies each customer at once ({@code subscription.price_change_scheduled}, the
 * notice) and moves each subscription at its first period boundary on or after the later of the date and the notice's
 * end ({@link PriceMigrationsAtBoundary}). The preview runs the same computation and writes nothing.
 */
public final class PriceMigrationService {
    static final int DEFAULT_NOTICE_DAYS = 30;
    private final Transactions tx;
    private final PriceMigrationRepository migrations;
    private final SubscriptionRepository subscriptions;
    private final CustomerRepository customers;
    private final CatalogService catalogs;
    private final BillingService billing;
    private final InvoiceIssuer issuer;
    private final CustomerTime time;
    private final AuditLog audit;
    private final DomainEvents events;

    public PriceMigrationService(Transactions tx, PriceMigrationRepository migrations, SubscriptionRepository subscriptions, CustomerRepository customers,
                                 CatalogService catalogs, BillingService billing, InvoiceIssuer issuer, CustomerTime time, AuditLog audit,
                                 DomainEvents events) {
        this.tx = tx;
        this.migrations = migrations;
        this.subscriptions = subscriptions;
        this.customers = customers;
        this.catalogs = catalogs;
        this.billing = billing;
        this.issuer = issuer;
        this.time = time;
        this.audit = audit;
        this.events = events;
    }

    public PriceMigration preview(Caller caller, PriceMigrationRequest req) {
        return tx.inTransaction(() -> plan(caller, req, null));
    }

    public PriceMigration create(Caller caller, PriceMigrationRequest req) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            PriceMigration m = plan(caller, req, Ids.next("pmig"));
            if (migrations.exists(caller.tenantId(), m.planCode(), m.catalogVersion())) {
                throw new AccrueException(ErrorCode.ALREADY_EXISTS, "plan", "Plan " + m.planCode() + " of catalog version " + m.catalogVersion()
                        + " already has a price migration decision");
            }
            migrations.insert(caller.tenantId(), new Stored(m.id(), m.planCode(), m.catalogVersion(), m.policy(), m.effectiveDate(), m.noticeDays(),
                    m.createdAt()));
            for (Move move : m.moves()) {
                if (m.policy() != Policy.MIGRATE) {
                    continue;
                }
                migrations.insertMove(caller.tenantId(), m.id(), new StoredMove(move.subscriptionId(), move.customerId(), move.fromVersion(),
                        move.noticeOn(), move.earliestOn(), "scheduled", null));
                Subscription sub = subscriptions.find(caller.tenantId(), move.subscriptionId()).orElseThrow();
                events.record(caller.tenantId(), EventSnapshots.subscription(EventTypes.SUBSCRIPTION_PRICE_CHANGE_SCHEDULED, sub, time.systemNow(),
                        notice(m, move)));
            }
            audit.record(caller, "price_migration", m.id(), "price_migration.created", null, m);
            return m;
        });
    }

    public PriceMigration get(Caller caller, String id) {
        return tx.inTransaction(() -> {
            Stored s = migrations.find(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("price_migration", id));
            Plan target = catalogs.catalog(caller.tenantId(), s.catalogVersion()).plan(s.planCode()).orElseThrow();
            List<Move> moves = new ArrayList<>();
            for (StoredMove stored : migrations.moves(caller.tenantId(), id)) {
                Subscription sub = subscriptions.find(caller.tenantId(), stored.subscriptionId()).orElseThrow();
                Customer customer = customers.find(caller.tenantId(), sub.customerId()).orElseThrow();
                // once moved, the subscription is on the new version: what it paid before is the old version's price
                Subscription before = stored.status().equals("moved") ? sub.with(stored.fromVersion(), sub.planCode(), sub.pendingPlanCode(),
                        sub.cancelAtPeriodEnd(), sub.cancelReason(), sub.endedOn()) : sub;
                moves.add(move(caller.tenantId(), before, customer, target, s.catalogVersion(), stored.noticeOn(), stored.earliestOn(), stored.status(),
                        stored.movedOn()));
            }
            return new PriceMigration(s.id(), s.planCode(), s.catalogVersion(), s.policy(), s.effectiveDate(), s.noticeDays(), s.createdAt(), moves);
        });
    }

    /** Validates the request and computes who moves, when and at what price; writes nothing. */
    private PriceMigration plan(Caller caller, PriceMigrationRequest req, String id) {
        String tenantId = caller.tenantId();
        if (req.plan() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "plan", "plan is required");
        }
        if (req.catalogVersion() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "catalog_version", "catalog_version is required: the version whose prices apply");
        }
        if (req.policy() == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "policy", "policy is required: grandfather or migrate");
        }
        Policy policy = switch (req.policy()) {
            case "grandfather" -> Policy.GRANDFATHER;
            case "migrate" -> Policy.MIGRATE;
            default -> throw AccrueException.invalid("policy", "policy must be grandfather or migrate, got '" + req.policy() + "'");
        };
        CatalogVersion version = catalogs.versions(caller).stream().filter(v -> v.version() == req.catalogVersion()).findFirst()
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "catalog_version", "No catalog version " + req.catalogVersion()));
        Plan target = catalogs.catalog(tenantId, version.version()).plan(req.plan())
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "plan", "No plan '" + req.plan() + "' in catalog version " + version.version()));
        LocalDate effective = req.effectiveDate();
        Integer noticeDays = req.noticeDays();
        if (policy == Policy.GRANDFATHER) {
            if (effective != null || noticeDays != null) {
                throw AccrueException.invalid(effective != null ? "effective_date" : "notice_days",
                        "Grandfathered subscriptions stay on their version: effective_date and notice_days belong to policy migrate");
            }
        } else {
            if (effective == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, "effective_date", "effective_date is required to migrate");
            }
            noticeDays = noticeDays == null ? DEFAULT_NOTICE_DAYS : noticeDays;
            if (noticeDays < 0 || noticeDays > 365) {
                throw AccrueException.invalid("notice_days", "notice_days must be 0-365, got " + noticeDays);
            }
            LocalDate inForce = LocalDate.ofInstant(version.effectiveFrom(), ZoneOffset.UTC);
            if (effective.isBefore(inForce)) {
                throw AccrueException.invalid("effective_date", "Catalog version " + version.version() + " is in force from " + inForce
                        + "; subscriptions cannot move to it on " + effective);
            }
        }
        List<Move> moves = new ArrayList<>();
        for (String subId : migrations.subscriptionsOnOlderVersions(tenantId, target.code(), version.version())) {
            Subscription sub = subscriptions.find(tenantId, subId).orElseThrow();
            Customer customer = customers.find(tenantId, sub.customerId()).orElseThrow();
            if (policy == Policy.GRANDFATHER) {
                moves.add(move(tenantId, sub, customer, target, version.version(), null, null, "grandfathered", null));
                continue;
            }
            LocalDate noticeOn = time.today(tenantId, customer);
            LocalDate noticeEnds = noticeOn.plusDays(noticeDays);
            LocalDate earliest = noticeEnds.isAfter(effective) ? noticeEnds : effective;
            moves.add(move(tenantId, sub, customer, target, version.version(), noticeOn, earliest, id == null ? "preview" : "scheduled", null));
        }
        return new PriceMigration(id, target.code(), version.version(), policy, effective, policy == Policy.MIGRATE ? noticeDays : null,
                time.systemNow(), moves);
    }

    private Move move(String tenantId, Subscription sub, Customer customer, Plan target, int toVersion, LocalDate noticeOn, LocalDate earliest,
                      String status, LocalDate movedOn) {
        LocalDate at = movedOn != null ? movedOn : earliest == null ? null : PriceMigrationsAtBoundary.firstBoundaryOnOrAfter(sub, earliest);
        // the period priced: the one the move opens, or for a grandfathered subscription the next one it is billed
        LocalDate priced = at != null ? at : sub.nextBillDate();
        Period period = priced.isBefore(sub.anchor()) ? sub.periodContaining(sub.anchor()) : sub.periodContaining(priced);
        Subscription after = sub.with(toVersion, sub.planCode(), sub.pendingPlanCode(), sub.cancelAtPeriodEnd(), sub.cancelReason(), sub.endedOn());
        Money before = perPeriod(tenantId, sub, billing.plan(tenantId, sub), customer, period);
        Money then = status.equals("grandfathered") ? before : perPeriod(tenantId, after, sub.overrides().applyTo(target), customer, period);
        return new Move(sub.id(), sub.customerId(), sub.catalogVersion(), noticeOn, earliest, at, status, movedOn,
                customer.currency().getCurrencyCode(), sub.interval().wire(), sub.quantity(), before.toPlainMinorString(), then.toPlainMinorString());
    }

    /** What the recurring charges of a period cost on {@code plan}: the subscription's interval, quantity and overrides. */
    private Money perPeriod(String tenantId, Subscription sub, Plan plan, Customer customer, Period period) {
        Money total = Money.zero(customer.currency());
        for (InvoiceLine line : RecurringBilling.linesFor(sub, plan, customer.currency(), period, issuer.rounding(tenantId))) {
            total = total.plus(line.amount());
        }
        return total;
    }

    private static Map<String, Object> notice(PriceMigration m, Move move) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("price_migration_id", m.id());
        d.put("catalog_version_from", move.fromVersion());
        d.put("catalog_version_to", m.catalogVersion());
        d.put("moves_on", move.movesOn() == null ? null : move.movesOn().toString());
        d.put("currency", move.currency());
        d.put("per_period_before", move.perPeriodBefore());
        d.put("per_period_after", move.perPeriodAfter());
        return d;
    }
}

package dev.accrue.app.pricechange;

import dev.accrue.app.event.DomainEvents;
import dev.accrue.app.event.EventSnapshots;
import dev.accrue.app.event.EventTypes;
import dev.accrue.core.subscription.Subscription;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;

/**
 * Performs scheduled price migrations where they take effect: at a period boundary the billing run reaches, before the
 * period opening there is priced. A move whose earliest day has come moves the subscription to the migration's version
 * when it is still on the plan and on an older version; otherwise (it changed plan, or a plan change already took it to
 * a newer version) the move is skipped. Called by the billing run with the subscription's row held.
 */
public final class PriceMigrationsAtBoundary {
    private final PriceMigrationRepository migrations;
    private final DomainEvents events;

    public PriceMigrationsAtBoundary(PriceMigrationRepository migrations, DomainEvents events) {
        this.migrations = migrations;
        this.events = events;
    }

    public Subscription atBoundary(String tenantId, Subscription sub, LocalDate boundary, Instant now) {
        for (PriceMigrationRepository.DueMove due : migrations.scheduled(tenantId, sub.id())) {
            if (due.earliestOn().isAfter(boundary)) {
                continue;
            }
            if (!sub.planCode().equals(due.planCode()) || sub.catalogVersion() >= due.toVersion()) {
                migrations.markMove(tenantId, due.migrationId(), sub.id(), "skipped", null);
                continue;
            }
            int from = sub.catalogVersion();
            sub = sub.with(due.toVersion(), sub.planCode(), sub.pendingPlanCode(), sub.cancelAtPeriodEnd(), sub.cancelReason(), sub.endedOn());
            migrations.markMove(tenantId, due.migrationId(), sub.id(), "moved", boundary);
            events.record(tenantId, EventSnapshots.subscription(EventTypes.SUBSCRIPTION_CHANGED, sub, now, Map.of("change", "price_migration",
                    "price_migration_id", due.migrationId(), "catalog_version_from", from, "catalog_version_to", due.toVersion(),
                    "effective_on", boundary.toString())));
        }
        return sub;
    }

    /** The first period boundary of the subscription's schedule on or after {@code day} (its first billing day when earlier). */
    static LocalDate firstBoundaryOnOrAfter(Subscription sub, LocalDate day) {
        if (!day.isAfter(sub.anchor())) {
            return sub.anchor();
        }
        var period = sub.periodContaining(day);
        return period.start().equals(day) ? day : period.end();
    }
}

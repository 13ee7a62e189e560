package dev.accrue.adapters.http.pricechange;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.pricechange.PriceMigration;
import dev.accrue.app.pricechange.PriceMigrationRequest;
import dev.accrue.app.pricechange.PriceMigrationService;
import io.javalin.config.RoutesConfig;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** /v1/price_migrations: what existing subscriptions do when a new catalog version changes a plan's prices (issue 16 point 11). */
public final class PriceMigrationRoutes {
    private final PriceMigrationService migrations;
    private final Idempotency idempotency;

    public PriceMigrationRoutes(PriceMigrationService migrations, Idempotency idempotency) {
        this.migrations = migrations;
        this.idempotency = idempotency;
    }

    record Body(String plan, Integer catalogVersion, String policy, LocalDate effectiveDate, Integer noticeDays) {
        PriceMigrationRequest request() {
            return new PriceMigrationRequest(plan, catalogVersion, policy, effectiveDate, noticeDays);
        }
    }

    record MoveView(String subscriptionId, String customerId, int fromVersion, String status, LocalDate noticeOn, LocalDate movesOn, LocalDate movedOn,
                    String currency, String interval, int quantity, String perPeriodBefore, String perPeriodAfter) {
    }

    record MigrationView(String id, String object, String plan, int catalogVersion, String policy, LocalDate effectiveDate, Integer noticeDays,
                         Instant createdAt, List<MoveView> subscriptions) {
        static MigrationView of(PriceMigration m, String object) {
            return new MigrationView(m.id(), object, m.planCode(), m.catalogVersion(), m.policy().wire(), m.effectiveDate(), m.noticeDays(),
                    m.createdAt(), m.moves().stream().map(v -> new MoveView(v.subscriptionId(), v.customerId(), v.fromVersion(), v.status(),
                            v.noticeOn(), v.movesOn(), v.movedOn(), v.currency(), v.interval(), v.quantity(), v.perPeriodBefore(),
                            v.perPeriodAfter())).toList());
        }
    }

    public void register(RoutesConfig app) {
        app.post("/v1/price_migrations", ctx -> {
            Body b = Requests.body(ctx, Body.class);
            var caller = Requests.caller(ctx);
            idempotency.create(ctx, 201, () -> MigrationView.of(migrations.create(caller, b.request()), "price_migration"));
        });
        app.post("/v1/price_migrations/preview", ctx -> {
            Body b = Requests.body(ctx, Body.class);
            Responses.json(ctx, 200, MigrationView.of(migrations.preview(Requests.caller(ctx), b.request()), "price_migration_preview"));
        });
        app.get("/v1/price_migrations/{id}", ctx -> Responses.json(ctx, 200,
                MigrationView.of(migrations.get(Requests.caller(ctx), ctx.pathParam("id")), "price_migration")));
    }
}

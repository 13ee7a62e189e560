package dev.accrue.app.tenant;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.auth.Role;
import dev.accrue.app.id.Ids;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.subscription.StartWindow;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.tenant.TenantMode;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** Creating tenants is an operator act (CLI), so it returns the tenant's first admin key to hand over. */
public final class TenantService {
    private final Transactions tx;
    private final TenantRepository tenants;
    private final ApiKeyService keys;
    private final AuditLog audit;
    private final Clock clock;

    public TenantService(Transactions tx, TenantRepository tenants, ApiKeyService keys, AuditLog audit, Clock clock) {
        this.tx = tx;
        this.tenants = tenants;
        this.keys = keys;
        this.audit = audit;
        this.clock = clock;
    }

    public record CreatedTenant(Tenant tenant, IssuedApiKey adminKey) {
    }

    public CreatedTenant create(String name, TenantMode mode) {
        String trimmed = name == null ? "" : name.trim();
        if (trimmed.isEmpty() || trimmed.length() > 100) {
            throw AccrueException.invalid("name", "Tenant name must be 1-100 characters");
        }
        if (mode == null) {
            throw AccrueException.invalid("mode", "Tenant mode must be 'live' or 'sandbox'");
        }
        return tx.inTransaction(() -> {
            if (tenants.findByName(trimmed).isPresent()) {
                throw new AccrueException(ErrorCode.ALREADY_EXISTS, "name", "A tenant named '" + trimmed + "' already exists");
            }
            Tenant tenant = new Tenant(Ids.next("ten"), trimmed, mode, clock.instant(), TenantSettings.DEFAULT);
            tenants.insert(tenant);
            Caller operator = Caller.operator(tenant.id());
            audit.record(operator, "tenant", tenant.id(), "tenant.created", null, tenant);
            IssuedApiKey key = keys.create(operator, "default admin key", Role.ADMIN);
            return new CreatedTenant(tenant, key);
        });
    }

    public Optional<Tenant> find(String id) {
        return tx.inTransaction(() -> tenants.find(id));
    }

    public Optional<Tenant> findByName(String name) {
        return tx.inTransaction(() -> tenants.findByName(name));
    }

    public Tenant get(String id) {
        return find(id).orElseThrow(() -> AccrueException.notFound("tenant", id));
    }

    /** Changes billing settings; null fields keep their value. Applies to invoices created from now on. */
    /** The fields of a settings change; null leaves a setting as it is ({@code clearApiRequestsPerSecond} returns to the default). */
    public record SettingsChange(Integer invoiceGraceHours, String roundingMode, Integer eventLatenessDays, java.math.BigDecimal maxEventQuantity,
                                 java.math.BigDecimal taxRate, Integer subscriptionBackdateDays, Integer subscriptionFutureDays,
                                 Integer apiRequestsPerSecond, boolean clearApiRequestsPerSecond) {
    }

    public Tenant updateSettings(Caller caller, SettingsChange change) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            Tenant before = tenants.find(caller.tenantId()).orElseThrow(() -> AccrueException.notFound("tenant", caller.tenantId()));
            java.math.RoundingMode mode = before.settings().roundingMode();
            if (change.roundingMode() != null) {
                mode = TenantSettings.parseMode(change.roundingMode());
                if (mode == null) {
                    throw AccrueException.invalid("rounding_mode", "rounding_mode must be one of half_up, half_even, half_down, up, down, ceiling, floor, got '" + change.roundingMode() + "'");
                }
            }
            TenantSettings old = before.settings();
            StartWindow window = new StartWindow(
                    change.subscriptionBackdateDays() == null ? old.startWindow().daysBack() : change.subscriptionBackdateDays(),
                    change.subscriptionFutureDays() == null ? old.startWindow().daysAhead() : change.subscriptionFutureDays());
            Integer rate = change.clearApiRequestsPerSecond() ? null
                    : change.apiRequestsPerSecond() == null ? old.apiRequestsPerSecond() : change.apiRequestsPerSecond();
            TenantSettings settings = new TenantSettings(change.invoiceGraceHours() == null ? old.invoiceGraceHours() : change.invoiceGraceHours(), mode,
                    change.eventLatenessDays() == null ? old.eventLatenessDays() : change.eventLatenessDays(),
                    change.maxEventQuantity() == null ? old.maxEventQuantity() : change.maxEventQuantity(),
                    change.taxRate() == null ? old.taxRate() : change.taxRate(), window, rate);
            tenants.updateSettings(caller.tenantId(), settings);
            Tenant after = new Tenant(before.id(), before.name(), before.mode(), before.createdAt(), settings);
            audit.record(caller, "tenant", before.id(), "tenant.settings_updated", before, after);
            return after;
        });
    }

    public List<Tenant> all() {
        return tx.inTransaction(tenants::all);
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.tenant.Tenant;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tenant.TenantSettings;
import dev.accrue.core.subscription.StartWindow;
import dev.accrue.core.tenant.TenantMode;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

public final class PostgresTenants implements TenantRepository {
    private static final RowMapper<Tenant> MAPPER = (rs, ctx) -> new Tenant(rs.getString("id"), rs.getString("name"),
            TenantMode.fromWire(rs.getString("mode")), Rows.instant(rs, "created_at"),
            new TenantSettings(rs.getInt("invoice_grace_hours"), TenantSettings.parseMode(rs.getString("rounding_mode")),
                    rs.getInt("event_lateness_days"), rs.getBigDecimal("max_event_quantity").stripTrailingZeros(),
                    rs.getBigDecimal("tax_rate").stripTrailingZeros(),
                    new StartWindow(rs.getInt("subscription_backdate_days"), rs.getInt("subscription_future_days")),
                    (Integer) rs.getObject("api_requests_per_second")));
    private final JdbiTransactions tx;

    public PostgresTenants(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Tenant t) {
        tx.forget(new TenantKey(t.id()));
        tx.handle().createUpdate("INSERT INTO tenants (id, name, mode, created_at) VALUES (:id, :name, :mode, :at)")
                .bind("id", t.id()).bind("name", t.name()).bind("mode", t.mode().wire()).bind("at", Rows.utc(t.createdAt()))
                .execute();
    }

    /** Remembers the tenant on {@code rs}'s current row as {@link #find} would have read it (read with a subscription, see PostgresSubscriptions). */
    static void learn(JdbiTransactions tx, ResultSet rs, StatementContext ctx) throws SQLException {
        Tenant t = MAPPER.map(rs, ctx);
        tx.remember(new TenantKey(t.id()), Optional.of(t));
    }

    @Override
    public Optional<Tenant> find(String id) {
        // read once per transaction: a billing batch asks for its tenant's settings several times per subscription
        return tx.memo(new TenantKey(id), k -> tx.handle().createQuery("SELECT * FROM tenants WHERE id = :id").bind("id", k.id()).map(MAPPER).findOne());
    }

    private record TenantKey(String id) {
    }

    @Override
    public Optional<Tenant> findByName(String name) {
        return tx.handle().createQuery("SELECT * FROM tenants WHERE name = :name").bind("name", name).map(MAPPER).findOne();
    }

    @Override
    public void updateSettings(String tenantId, TenantSettings settings) {
        tx.forget(new TenantKey(tenantId));
        tx.handle().createUpdate("""
                        UPDATE tenants SET invoice_grace_hours = :grace, rounding_mode = :mode, event_lateness_days = :late, max_event_quantity = :max,
                               tax_rate = :tax, subscription_backdate_days = :back, subscription_future_days = :ahead, api_requests_per_second = :rate
                        WHERE id = :id""")
                .bind("grace", settings.invoiceGraceHours()).bind("mode", settings.roundingModeWire())
                .bind("late", settings.eventLatenessDays()).bind("max", settings.maxEventQuantity()).bind("tax", settings.taxRate())
                .bind("back", settings.startWindow().daysBack()).bind("ahead", settings.startWindow().daysAhead())
                .bind("rate", settings.apiRequestsPerSecond()).bind("id", tenantId).execute();
    }

    @Override
    public List<Tenant> all() {
        return tx.handle().createQuery("SELECT * FROM tenants ORDER BY id").map(MAPPER).list();
    }
}

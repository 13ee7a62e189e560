package dev.accrue.adapters.postgres;

import dev.accrue.app.testclock.TestClock;
import dev.accrue.app.testclock.TestClockRepository;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class PostgresTestClocks implements TestClockRepository {
    private static final RowMapper<TestClock> MAPPER = (rs, ctx) -> new TestClock(rs.getString("id"), rs.getString("name"),
            Rows.instant(rs, "frozen_time"), Rows.instant(rs, "created_at"));
    private final JdbiTransactions tx;

    public PostgresTestClocks(JdbiTransactions tx) {
        this.tx = tx;
    }

    @Override
    public void insert(String tenantId, TestClock c) {
        tx.handle().createUpdate("INSERT INTO test_clocks (tenant_id, id, name, frozen_time, created_at) VALUES (:tenant, :id, :name, :time, :at)")
                .bind("tenant", tenantId).bind("id", c.id()).bind("name", c.name()).bind("time", Rows.utc(c.frozenTime()))
                .bind("at", Rows.utc(c.createdAt())).execute();
    }

    @Override
    public Optional<TestClock> find(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM test_clocks WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<TestClock> findForUpdate(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM test_clocks WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<TestClock> findForShare(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM test_clocks WHERE tenant_id = :tenant AND id = :id FOR SHARE")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<TestClock> list(String tenantId) {
        return tx.handle().createQuery("SELECT * FROM test_clocks WHERE tenant_id = :tenant ORDER BY id DESC")
                .bind("tenant", tenantId).map(MAPPER).list();
    }

    @Override
    public void setTime(String tenantId, String id, Instant time) {
        tx.handle().createUpdate("UPDATE test_clocks SET frozen_time = :time WHERE tenant_id = :tenant AND id = :id")
                .bind("time", Rows.utc(time)).bind("tenant", tenantId).bind("id", id).execute();
    }
}

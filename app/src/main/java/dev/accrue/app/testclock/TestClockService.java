package dev.accrue.app.testclock;

import dev.accrue.app.audit.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.BillingService;
import dev.accrue.app.customer.CustomerService;
import dev.accrue.app.id.Ids;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.tenant.TenantMode;

import java.time.Instant;
import java.util.List;

/**
 * Test clocks let a sandbox tenant move its customers through months of billing in seconds. Advancing a
 * clock bills, in order, every period of every attached subscription that falls due up to the new time,
 * exactly as the real scheduler would have.
 */
public final class TestClockService implements CustomerService.TestClockCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TestClockService.class);
    private static final Instant EARLIEST = Instant.parse("2000-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("2100-01-01T00:00:00Z");
    private final Transactions tx;
    private final TestClockRepository clocks;
    private final TenantRepository tenants;
    private final SubscriptionRepository subscriptions;
    private final BillingService billing;
    private final AuditLog audit;
    private final java.time.Clock clock;
    private final AfterAdvance afterAdvance;

    /**
     * Work that runs once an advance has committed, outside its transaction — collecting what the advance made due
     * (payments call the gateway, which never happens inside a billing transaction).
     */
    public interface AfterAdvance {
        void advanced(String tenantId, String testClockId);
    }

    public TestClockService(Transactions tx, TestClockRepository clocks, TenantRepository tenants, SubscriptionRepository subscriptions,
                            BillingService billing, AuditLog audit, java.time.Clock clock, AfterAdvance afterAdvance) {
        this.afterAdvance = afterAdvance;
        this.tx = tx;
        this.clocks = clocks;
        this.tenants = tenants;
        this.subscriptions = subscriptions;
        this.billing = billing;
        this.audit = audit;
        this.clock = clock;
    }

    public TestClock create(Caller caller, String name, Instant frozenTime) {
        caller.requireWrite();
        Instant start = frozenTime == null ? clock.instant() : frozenTime;
        requireSane(start);
        return tx.inTransaction(() -> {
            requireSandbox(caller);
            TestClock created = new TestClock(Ids.next("clk"), name == null || name.isBlank() ? "test clock" : name.trim(), start, clock.instant());
            clocks.insert(caller.tenantId(), created);
            audit.record(caller, "test_clock", created.id(), "test_clock.created", null, created);
            return created;
        });
    }

    public TestClock get(Caller caller, String id) {
        return tx.inTransaction(() -> clocks.find(caller.tenantId(), id)).orElseThrow(() -> AccrueException.notFound("test_clock", id));
    }

    public List<TestClock> list(Caller caller) {
        return tx.inTransaction(() -> clocks.list(caller.tenantId()));
    }

    /**
     * Moves the clock forward to {@code to} and runs every billing job that fell due on the way, in order — as
     * one transaction. The new time is written first only so that billing, inside the same transaction, sees it;
     * nobody else does until everything due up to it is billed and commits with it. So a crash or a billing
     * failure half-way leaves the clock where it was with nothing of the advance written, and the same advance
     * retried does the whole job. The clock's row stays locked meanwhile: a concurrent advance of the same clock
     * waits, then sees the new time.
     */
    public TestClock advance(Caller caller, String id, Instant to) {
        caller.requireWrite();
        if (to == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "frozen_time", "frozen_time (the new time) is required");
        }
        requireSane(to);
        boolean outermost = !tx.inProgress();
        long started = System.nanoTime();
        TestClock advanced = tx.inTransaction(() -> {
            TestClock c = clocks.findForUpdate(caller.tenantId(), id).orElseThrow(() -> AccrueException.notFound("test_clock", id));
            if (to.isBefore(c.frozenTime())) {
                throw new AccrueException(ErrorCode.TEST_CLOCK_BACKWARDS, "frozen_time",
                        "A test clock only moves forward; it is at " + c.frozenTime() + ", asked for " + to);
            }
            clocks.setTime(caller.tenantId(), id, to);
            TestClock moved = new TestClock(c.id(), c.name(), to, c.createdAt());
            var attached = subscriptions.onTestClock(caller.tenantId(), id);
            // every subscription is locked before the first invoice takes the tenant's number counter: a plan change
            // (on any node) holds its subscription and then wants the counter, so locking them one by one while
            // billing would hold the counter waiting for that subscription — a deadlock PostgreSQL ends by failing one
            for (var due : attached) {
                subscriptions.findForUpdate(due.tenantId(), due.subscriptionId());
            }
            // each subscription catches up period by period, in date order
            for (var due : attached) {
                billing.billDue(due.tenantId(), due.subscriptionId());
            }
            billing.finalizeDraftsOnTestClock(caller.tenantId(), id, to);
            audit.record(caller, "test_clock", id, "test_clock.advanced", c, moved);
            return moved;
        });
        if (outermost) {
            afterAdvance.advanced(caller.tenantId(), id);
        }
        LOG.info("Test clock {} of tenant {} advanced to {} by {} in {} ms", id, caller.tenantId(), to, caller.actor().wire(),
                (System.nanoTime() - started) / 1_000_000);
        return advanced;
    }

    @Override
    public void requireUsable(Caller caller, String testClockId) {
        requireSandbox(caller);
        if (clocks.find(caller.tenantId(), testClockId).isEmpty()) {
            throw new AccrueException(ErrorCode.NOT_FOUND, "test_clock_id", "No test clock with id '" + testClockId + "'");
        }
    }

    private void requireSandbox(Caller caller) {
        boolean sandbox = tenants.find(caller.tenantId()).map(t -> t.mode() == TenantMode.SANDBOX).orElse(false);
        if (!sandbox) {
            throw new AccrueException(ErrorCode.TEST_CLOCK_REQUIRES_SANDBOX, "Test clocks exist only in sandbox tenants");
        }
    }

    private static void requireSane(Instant t) {
        if (t.isBefore(EARLIEST) || t.isAfter(LATEST)) {
            throw AccrueException.invalid("frozen_time", "frozen_time must be between 2000 and 2100, got " + t);
        }
    }
}

package dev.accrue.app.testclock;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

public interface TestClockRepository {
    void insert(String tenantId, TestClock clock);

    Optional<TestClock> find(String tenantId, String id);

    Optional<TestClock> findForUpdate(String tenantId, String id);

    /** Holds the clock against an advance until the caller's transaction ends (an advance takes it FOR UPDATE). */
    Optional<TestClock> findForShare(String tenantId, String id);

    List<TestClock> list(String tenantId);

    void setTime(String tenantId, String id, Instant time);
}

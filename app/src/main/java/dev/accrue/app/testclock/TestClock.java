package dev.accrue.app.testclock;

import java.time.Instant;

/** A sandbox clock: customers attached to it live at {@code frozenTime}, which only moves when advanced. */
public record TestClock(String id, String name, Instant frozenTime, Instant createdAt) {
}

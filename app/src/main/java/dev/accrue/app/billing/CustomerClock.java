package dev.accrue.app.billing;

import java.time.ZoneId;

/** What the hot paths need of a customer to place an instant in its time: its zone and its test clock, if any. */
public record CustomerClock(String id, ZoneId zone, String testClockId) {
}

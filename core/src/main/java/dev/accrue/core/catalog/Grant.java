package dev.accrue.core.catalog;

import java.math.BigDecimal;

/** An allowance an add-on adds: {@code quantity} of {@code metric} per {@code reset} window (no rollover). */
public record Grant(String metric, BigDecimal quantity, ResetCadence reset) {
}

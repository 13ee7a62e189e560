package dev.accrue.core.catalog;

import java.math.BigDecimal;

/** An allowance of {@code metric} worth {@code perUnit} × the counted quantity, resetting each {@code reset}. */
public record DerivedAllowance(String metric, BigDecimal perUnit, ResetCadence reset) {
}

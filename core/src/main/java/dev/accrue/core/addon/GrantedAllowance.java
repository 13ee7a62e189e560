package dev.accrue.core.addon;

import java.math.BigDecimal;

/** Extra allowance of {@code metric} that add-ons give in one usage window, and what gave it. */
public record GrantedAllowance(String metric, BigDecimal quantity, String source) {
}

package dev.accrue.core.catalog;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A fee billed once, in full, on the invoice that opens a phase: {@code activation} (the first billing period, after any
 * trial: a setup fee) or {@code introductory_end} (the first period at the regular price). Never prorated, never refunded.
 */
public record OneTimeFee(String code, String name, Map<String, BigDecimal> amount, Trigger on) {
    public OneTimeFee {
        amount = Lists.orEmpty("amount", amount);
        on = on == null ? Trigger.ACTIVATION : on;
    }

    public enum Trigger {
        ACTIVATION, INTRODUCTORY_END
    }
}

package dev.accrue.core.subscription;

import dev.accrue.core.catalog.IntervalOption;
import dev.accrue.core.catalog.Plan;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.catalog.RecurringCharge;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import dev.accrue.core.time.RoundingPolicy;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Currency;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RecurringBillingTest {
    private static final Plan BASIC = new Plan("basic", "voice", "Basic", 1, null, List.of(new IntervalOption(BillingInterval.MONTH, null)),
            Alignment.ANNIVERSARY, 0, List.of(new RecurringCharge("base", "Base fee", Map.of("USD", new BigDecimal("30.00")), null, null, null, null)),
            null, null, null, null);

    private static String firstLine(Alignment alignment) {
        LocalDate start = LocalDate.of(2026, 3, 15);
        Subscription sub = new Subscription("sub_1", "cus_1", 1, "basic", BillingInterval.MONTH, alignment, start, null, start, start, null, null,
                null, false, null, null, null, PlanOverrides.NONE, 1, null, null, null, 0, null, null);
        var line = RecurringBilling.linesFor(sub, BASIC, Currency.getInstance("USD"), sub.schedule().firstPeriod(), RoundingPolicy.DEFAULT).getFirst();
        return line.description() + " " + line.amount();
    }

    @Test
    void aWholePeriodIsNamedNotCountedInDaysButAStubIs() {
        assertThat(firstLine(Alignment.ANNIVERSARY)).isEqualTo("Basic — Base fee — 15 Mar 2026 – 14 Apr 2026 30.00 USD"); // 31/31 days
        assertThat(firstLine(Alignment.CALENDAR)).isEqualTo("Basic — Base fee (17/31 days) 16.45 USD");   // Mar 15 → Apr 1 of March
    }
}

package dev.accrue.core.coupon;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.RoundingPolicy;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CouponTest {
    private static InvoiceLine line(String kind, String charge, Money amount) {
        return new InvoiceLine(kind, charge, "d", null, BigDecimal.ONE, amount, amount);
    }

    private static Coupon percent(String pct, List<String> charges) {
        return new Coupon("cpn_1", "C", "C", new BigDecimal(pct), null, Coupon.ONCE, null, List.of(), charges, null, null, 0, false);
    }

    @Property
    void aDiscountNeverExceedsTheLinesItAppliesToAndAHundredPercentTakesThemAll(
            @ForAll @Size(min = 1, max = 8) List<@LongRange(min = -5_000, max = 50_000) Long> cents, @ForAll @IntRange(min = 1, max = 100) int pct) {
        List<InvoiceLine> lines = cents.stream().map(c -> line(InvoiceLine.USAGE, "calls", Money.of(BigDecimal.valueOf(c, 2), "USD"))).toList();
        Money eligible = lines.stream().map(InvoiceLine::amount).filter(Money::isPositive).reduce(Money.zero("USD"), Money::plus);
        Money off = percent(String.valueOf(pct), List.of()).discountOn(lines, RoundingPolicy.DEFAULT);
        assertThat(off.compareTo(eligible)).isLessThanOrEqualTo(0);
        assertThat(off.isNegative()).isFalse();
        assertThat(off.amount().scale()).isLessThanOrEqualTo(2);
        if (pct == 100) {
            assertThat(off).isEqualTo(eligible);
        }
    }

    @Example
    void onlyTheNamedChargesAreDiscountedAndCreditLinesNever() {
        List<InvoiceLine> lines = List.of(line(InvoiceLine.RECURRING, "base", Money.of("30.00", "USD")),
                line(InvoiceLine.USAGE, "calls", Money.of("10.00", "USD")), line(InvoiceLine.CREDIT, null, Money.of("5.00", "USD")));
        assertThat(percent("20", List.of("base")).discountOn(lines, RoundingPolicy.DEFAULT)).isEqualTo(Money.of("6.00", "USD"));
        assertThat(percent("12.5", List.of()).discountOn(lines, RoundingPolicy.DEFAULT)).isEqualTo(Money.of("5.00", "USD"));
        Coupon fixed = new Coupon("cpn_2", "F", "F", null, Money.of("50.00", "USD"), Coupon.FOREVER, null, List.of(), List.of(), null, null, 0, false);
        assertThat(fixed.discountOn(lines, RoundingPolicy.DEFAULT)).isEqualTo(Money.of("40.00", "USD"));
        assertThat(fixed.activeAfter(1000)).isTrue();
        assertThat(percent("5", List.of()).activeAfter(1)).isFalse();
    }
}

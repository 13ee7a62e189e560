package dev.accrue.core.creditwallet;

import dev.accrue.core.money.Money;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reconciliation of credit wallets: whatever the lots, rate and amount owed, what credits pay never exceeds what is
 * owed, no lot gives more than it has, expired or future lots give nothing, paid credits are touched only once every
 * usable granted lot is spent (and the other way round with paid first), and the amount is paid in full whenever the
 * usable credits are worth it.
 */
class CreditConsumptionProperties {
    private static final Currency USD = Currency.getInstance("USD");
    private static final Instant AT = Instant.parse("2026-06-15T12:00:00Z");

    @Provide
    Arbitrary<List<CreditLot>> lots() {
        Arbitrary<CreditLot> lot = Combinators.combine(
                Arbitraries.integers().between(0, 999_999).map(i -> "lot" + i),
                Arbitraries.of(true, false),
                Arbitraries.bigDecimals().between(new BigDecimal("0.000001"), new BigDecimal("5000")).ofScale(6),
                Arbitraries.integers().between(-100, 10),
                Arbitraries.integers().between(-10, 100).injectNull(0.3)).as((id, paid, credits, granted, expires) -> new CreditLot(id, paid, credits,
                AT.plusSeconds(granted), expires == null ? null : AT.plusSeconds(expires)));
        return lot.list().ofMaxSize(12).uniqueElements(CreditLot::id);
    }

    @Provide
    Arbitrary<BigDecimal> rates() {
        return Arbitraries.of("1", "0.05", "0.01", "0.003", "2.5", "0.333333", "10").map(BigDecimal::new);
    }

    @Property
    void creditsNeverPayMoreThanOwedNorTakeMoreThanALotHas(@ForAll("lots") List<CreditLot> lots, @ForAll("rates") BigDecimal r, @ForAll boolean paidFirst,
                                                          @ForAll("owed") BigDecimal owedAmount) {
        CreditRate rate = new CreditRate(r, USD);
        Money owed = Money.of(owedAmount, "USD");
        List<CreditDraw> draws = CreditConsumption.plan(lots, paidFirst, AT, rate, owed);
        Map<String, CreditLot> byId = lots.stream().collect(Collectors.toMap(CreditLot::id, Function.identity()));
        Money paid = CreditConsumption.paid(draws, Money.zero(USD));
        assertThat(paid.compareTo(owed)).isLessThanOrEqualTo(0);
        for (CreditDraw d : draws) {
            CreditLot lot = byId.get(d.lotId());
            assertThat(lot.usableAt(AT)).isTrue();
            assertThat(d.credits()).isPositive().isLessThanOrEqualTo(lot.remaining());
            assertThat(d.amount().isPositive()).isTrue();
            // a draw is never worth less than it pays
            assertThat(rate.value(d.credits()).compareTo(d.amount())).isGreaterThanOrEqualTo(0);
        }
        // the preferred kind is exhausted before the other kind is touched
        boolean otherTouched = draws.stream().anyMatch(d -> byId.get(d.lotId()).paid() != paidFirst);
        if (otherTouched) {
            lots.stream().filter(l -> l.usableAt(AT) && l.paid() == paidFirst && rate.value(l.remaining()).isPositive())
                    .forEach(l -> assertThat(draws.stream().filter(d -> d.lotId().equals(l.id())).map(CreditDraw::credits).findFirst())
                            .contains(l.remaining()));
        }
        // paid in full whenever every usable lot, each worth its own rounded value, covers what is owed
        Money worth = Money.zero(USD);
        for (CreditLot l : lots) {
            if (l.usableAt(AT)) {
                worth = worth.plus(rate.value(l.remaining()));
            }
        }
        if (worth.compareTo(owed) >= 0) {
            assertThat(paid).isEqualTo(owed);
        }
    }

    @Provide
    Arbitrary<BigDecimal> owed() {
        return Arbitraries.bigDecimals().between(new BigDecimal("0.01"), new BigDecimal("20000")).ofScale(2);
    }
}

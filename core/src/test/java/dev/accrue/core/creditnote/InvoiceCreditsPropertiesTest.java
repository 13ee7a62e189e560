package dev.accrue.core.creditnote;

import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;
import dev.accrue.core.tax.LineTaxShares;
import dev.accrue.core.tax.PriceMode;
import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.tax.TaxStatus;
import dev.accrue.core.tax.TaxedLines;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Credit notes over random taxed invoices (both price modes, every customer tax status — so standard, reduced, exempt and
 * reverse-charged rates — with discounts before tax): a whole credit gives back the invoice's charges with tax exactly,
 * with each rate's net and tax; partial credits then one for the rest add up to it exactly; credits never exceed it.
 */
class InvoiceCreditsPropertiesTest {
    private static final Currency EUR = Currency.getInstance("EUR");

    /** A charged line: a discount (negative) or a charge, with its catalog tax category. */
    record Charged(boolean discount, TaxCategory category, long cents) {
        InvoiceLine line() {
            Money m = new Money(BigDecimal.valueOf(discount ? -cents : cents, 2), EUR);
            return new InvoiceLine(discount ? InvoiceLine.DISCOUNT : InvoiceLine.USAGE, "c", "d", null, BigDecimal.ONE, m, m);
        }
    }

    private static List<InvoiceLine> invoice(List<Charged> charged, String country, PriceMode mode, TaxStatus status) {
        return InvoiceCreditsTest.taxed(mode, country, status, charged.stream().map(Charged::line).toList(), charged.stream().map(Charged::category).toList());
    }

    /** What the invoice charged with tax: its charges and the taxes added on top. */
    private static Money chargedWithTax(List<InvoiceLine> lines) {
        Money sum = Money.zero(EUR);
        for (InvoiceLine l : lines) {
            if (TaxedLines.isCharge(l) || InvoiceLine.TAX.equals(l.kind())) {
                sum = sum.plus(l.amount());
            }
        }
        return sum;
    }

    /** Whether every rate of the invoice sold something (a discount can take a rate to zero or below, which sells nothing). */
    private static boolean everyRatePositive(List<InvoiceLine> lines) {
        Map<Object, Money> perRate = new HashMap<>();
        for (InvoiceLine l : lines) {
            if (TaxedLines.isCharge(l)) {
                Object key = l.tax().group() == null ? l.tax().vatCategory() : l.tax().group();
                perRate.merge(key, l.amount(), Money::plus);
            }
        }
        return perRate.values().stream().allMatch(Money::isPositive);
    }

    /** Net and tax per tax group taken by {@code parts}. */
    private static Map<Integer, Money[]> perGroup(List<InvoiceCredits.Part> parts) {
        Map<Integer, Money[]> out = new HashMap<>();
        for (InvoiceCredits.Part p : parts) {
            if (p.share().pool().group() != null) {
                out.merge(p.share().pool().group(), new Money[]{p.net(), p.tax()}, (a, b) -> new Money[]{a[0].plus(b[0]), a[1].plus(b[1])});
            }
        }
        return out;
    }

    private static void assertEachRateTakenBackExactly(List<InvoiceLine> lines, Map<Integer, Money[]> taken) {
        for (InvoiceLine l : lines) {
            if (l.isTax()) {
                Money[] t = taken.getOrDefault(l.tax().group(), new Money[]{Money.zero(EUR), Money.zero(EUR)});
                assertThat(t[0]).as("net of %s", l.description()).isEqualTo(l.unitPrice());
                assertThat(t[1]).as("tax of %s", l.description()).isEqualTo(l.amount());
            }
        }
    }

    @Property(tries = 500)
    void aWholeCreditIsTheInvoiceTotalWithEachRatesNetAndTax(@ForAll("invoices") List<Charged> charged, @ForAll("countries") String country,
                                                              @ForAll PriceMode mode, @ForAll TaxStatus status) {
        List<InvoiceLine> lines = invoice(charged, country, mode, status);
        InvoiceCredits credits = InvoiceCredits.of(lines, Money.zero(EUR));
        Money total = chargedWithTax(lines);
        if (!everyRatePositive(lines)) {
            assertThat(credits.remainingTotal()).isLessThanOrEqualTo(total.isPositive() ? total : Money.zero(EUR));
            return;
        }
        assertThat(credits.remainingTotal()).isEqualTo(total);
        List<InvoiceCredits.Part> parts = credits.credit(null, credits.remainingTotal());
        assertThat(parts.stream().map(InvoiceCredits.Part::gross).reduce(Money.zero(EUR), Money::plus)).isEqualTo(total);
        assertEachRateTakenBackExactly(lines, perGroup(parts));
        // the shares themselves are the invoice's split: per rate they add up to its net and tax
        Map<Integer, Money[]> shares = new HashMap<>();
        for (LineTaxShares.Share s : LineTaxShares.of(lines)) {
            if (s.pool().group() != null) {
                shares.merge(s.pool().group(), new Money[]{s.net(), s.tax()}, (a, b) -> new Money[]{a[0].plus(b[0]), a[1].plus(b[1])});
            }
        }
        assertEachRateTakenBackExactly(lines, shares);
        assertThat(credits.remainingTotal()).isEqualTo(Money.zero(EUR));
    }

    @Property(tries = 500)
    void partialCreditsThenTheRestAddUpExactlyAndNeverExceedTheInvoice(@ForAll("invoices") List<Charged> charged, @ForAll("countries") String country,
                                                                       @ForAll PriceMode mode, @ForAll TaxStatus status, @ForAll long seed) {
        List<InvoiceLine> lines = invoice(charged, country, mode, status);
        InvoiceCredits credits = InvoiceCredits.of(lines, Money.zero(EUR));
        Money cap = credits.remainingTotal();
        Random random = new Random(seed);
        List<InvoiceCredits.Part> all = new ArrayList<>();
        Money credited = Money.zero(EUR);
        for (int note = 0; note < 1 + random.nextInt(6); note++) {
            Integer line = random.nextBoolean() ? null : 1 + random.nextInt(lines.size());
            Money left = line == null ? credits.remainingTotal() : min(credits.remainingOnLine(line), credits.remainingTotal());
            if (!left.isPositive()) {
                continue;
            }
            long cents = left.amount().movePointRight(2).longValueExact();
            Money asked = new Money(BigDecimal.valueOf(1 + (long) (random.nextDouble() * cents), 2), EUR);
            List<InvoiceCredits.Part> parts = credits.credit(line, asked);
            assertThat(parts.stream().map(InvoiceCredits.Part::gross).reduce(Money.zero(EUR), Money::plus)).isEqualTo(asked);
            for (InvoiceCredits.Part p : parts) {
                assertThat(p.net().isNegative() || p.tax().isNegative()).isFalse();
            }
            all.addAll(parts);
            credited = credited.plus(asked);
            assertThat(credited).isLessThanOrEqualTo(cap);
            assertThat(credits.remainingTotal()).isEqualTo(cap.minus(credited));
        }
        // no line ever gave back more than its share
        for (LineTaxShares.Share s : LineTaxShares.of(lines)) {
            Money net = all.stream().filter(p -> p.share().line() == s.line()).map(InvoiceCredits.Part::net).reduce(Money.zero(EUR), Money::plus);
            Money tax = all.stream().filter(p -> p.share().line() == s.line()).map(InvoiceCredits.Part::tax).reduce(Money.zero(EUR), Money::plus);
            assertThat(net).isLessThanOrEqualTo(s.net());
            assertThat(tax).isLessThanOrEqualTo(s.tax());
        }
        if (!everyRatePositive(lines)) {
            return;
        }
        // the rest, as a whole: all notes together are the invoice, rate by rate
        all.addAll(credits.credit(null, credits.remainingTotal()));
        assertThat(all.stream().map(InvoiceCredits.Part::gross).reduce(Money.zero(EUR), Money::plus)).isEqualTo(chargedWithTax(lines));
        assertEachRateTakenBackExactly(lines, perGroup(all));
    }

    private static Money min(Money a, Money b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Provide
    Arbitrary<List<Charged>> invoices() {
        return Combinators.combine(Arbitraries.of(false, false, false, false, true), Arbitraries.of(TaxCategory.class),
                Arbitraries.longs().between(1L, 2_000_000L)).as(Charged::new).list().ofMinSize(1).ofMaxSize(20);
    }

    @Provide
    Arbitrary<String> countries() {
        return Arbitraries.of("FR", "DE", "FI", "HU", "LU", "IT", "US");
    }
}

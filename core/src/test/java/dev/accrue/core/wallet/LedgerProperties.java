package dev.accrue.core.wallet;

import dev.accrue.core.money.Money;
import dev.accrue.core.tax.Jurisdiction;
import dev.accrue.core.tax.PriceMode;
import dev.accrue.core.tax.TaxCalculator;
import dev.accrue.core.tax.TaxCategory;
import dev.accrue.core.tax.TaxContext;
import dev.accrue.core.tax.TaxRate;
import dev.accrue.core.tax.TaxRates;
import dev.accrue.core.tax.TaxResult;
import dev.accrue.core.tax.TaxStatus;
import dev.accrue.core.tax.Taxable;
import dev.accrue.core.time.RoundingPolicy;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LedgerProperties {
    private static final Currency USD = Currency.getInstance("USD");

    @Provide
    Arbitrary<List<BigDecimal>> operations() {
        // positive = top-up, negative = a debit wanted
        return Arbitraries.bigDecimals().between(new BigDecimal("-500"), new BigDecimal("500")).ofScale(2)
                .filter(v -> v.signum() != 0).list().ofMaxSize(200);
    }

    /** Replaying top-ups and debits: the balance is the fold of the entries and never falls below minus the credit limit. */
    @Property
    void balanceIsTheSumOfEntriesAndNeverBelowTheCreditLimit(@ForAll("operations") List<BigDecimal> ops, @ForAll @IntRange(max = 300) int limit) {
        Money creditLimit = Money.of(BigDecimal.valueOf(limit), "USD");
        List<Money> entries = new ArrayList<>();
        Money balance = Money.zero(USD);
        for (BigDecimal op : ops) {
            Money move;
            if (op.signum() > 0) {
                move = Money.of(op, "USD");
            } else {
                Money wanted = Money.of(op.negate(), "USD");
                Money taken = Ledger.debitable(balance, creditLimit, wanted);
                assertThat(taken.compareTo(wanted)).isLessThanOrEqualTo(0);
                assertThat(taken.isNegative()).isFalse();
                move = taken.negate();
            }
            if (!move.isZero()) {
                entries.add(move);
                balance = balance.plus(move);
            }
            assertThat(balance.plus(creditLimit).isNegative()).isFalse();
            assertThat(Ledger.balance(USD, entries)).isEqualTo(balance);
        }
    }

    /** A debit takes everything wanted whenever the wallet can pay it, and otherwise exactly what it can. */
    @Property
    void aDebitTakesAllItCan(@ForAll @IntRange(min = -300, max = 1000) int balance, @ForAll @IntRange(max = 300) int limit,
                             @ForAll @IntRange(max = 2000) int wanted) {
        Money taken = Ledger.debitable(Money.of(BigDecimal.valueOf(balance), "USD"), Money.of(BigDecimal.valueOf(limit), "USD"),
                Money.of(BigDecimal.valueOf(wanted), "USD"));
        BigDecimal spendable = BigDecimal.valueOf(Math.max(0, balance + limit));
        assertThat(taken.amount()).isEqualByComparingTo(BigDecimal.valueOf(wanted).min(spendable));
    }

    @Property
    void aReceiptAddsVatRoundedOnceAndTheAmountToTheBalance(@ForAll @IntRange(min = 1, max = 100000) int cents, @ForAll @IntRange(max = 30) int ratePercent) {
        Money amount = Money.of(BigDecimal.valueOf(cents, 2), "USD");
        BigDecimal rate = BigDecimal.valueOf(ratePercent, 2);
        var rates = new TaxRates(List.of(new TaxRate(Jurisdiction.country("US"), TaxCategory.STANDARD, "VAT", rate)));
        TaxResult taxed = TaxCalculator.calculate(amount.currency(), List.of(new Taxable(TaxCategory.STANDARD, amount)),
                new TaxContext(null, PriceMode.TAX_EXCLUSIVE, rates, Jurisdiction.country("US"), TaxStatus.TAXABLE, null), RoundingPolicy.DEFAULT);
        TopUpReceipt r = TopUpReceipt.of(amount, rate, taxed.tax(), Money.of("10.00", "USD"));
        assertThat(r.tax().amount().scale()).isLessThanOrEqualTo(2);
        assertThat(r.total()).isEqualTo(amount.plus(r.tax()));
        assertThat(r.balanceAfter()).isEqualTo(Money.of("10.00", "USD").plus(amount));
        assertThat(r.tax().amount()).isEqualByComparingTo(amount.amount().multiply(rate).setScale(2, java.math.RoundingMode.HALF_UP));
    }
}

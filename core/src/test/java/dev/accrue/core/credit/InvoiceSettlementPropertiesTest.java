package dev.accrue.core.credit;

import dev.accrue.core.money.Money;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.Example;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A customer's life as a stream of events — credit granted (refunds, credit notes) and invoices whose lines sum to
 * anything, negative included (usage corrections) — folded through {@link InvoiceSettlement} into a ledger exactly
 * as issuance does: no invoice ever totals below zero, the credit applied never exceeds the credit granted (refunds
 * plus what negative invoices carried), and every invoice's total plus the credit it used equals what it owed.
 */
class InvoiceSettlementPropertiesTest {

    /** A grant when {@code grant}, else an invoice whose lines sum to {@code cents}. */
    record Event(boolean grant, long cents) {
    }

    @Property(tries = 2000)
    void invoicesNeverGoNegativeAndCarriedCreditNeverExceedsWhatWasGranted(@ForAll("lives") @Size(max = 40) List<Event> life) {
        List<Money> ledger = new ArrayList<>();
        Money granted = Money.zero("EUR");
        Money applied = Money.zero("EUR");
        for (Event e : life) {
            Money amount = Money.of(BigDecimal.valueOf(e.cents(), 2), "EUR");
            if (e.grant()) {
                if (amount.isPositive()) {
                    ledger.add(amount);
                    granted = granted.plus(amount);
                }
                continue;
            }
            Money balance = CreditLedger.balance(amount.currency(), ledger);
            InvoiceSettlement s = InvoiceSettlement.of(balance, amount);
            assertThat(s.total().isNegative()).as("total of an invoice owing %s", amount).isFalse();
            assertThat(s.applied().isNegative() || s.carried().isNegative()).isFalse();
            assertThat(s.applied().compareTo(balance.isPositive() ? balance : Money.zero("EUR"))).isLessThanOrEqualTo(0);
            assertThat(s.total().plus(s.applied()).minus(s.carried())).isEqualTo(amount);
            if (s.carried().isPositive()) {
                ledger.add(s.carried());
                granted = granted.plus(s.carried());
            }
            if (s.applied().isPositive()) {
                ledger.add(s.applied().negate());
                applied = applied.plus(s.applied());
            }
            assertThat(applied.compareTo(granted)).isLessThanOrEqualTo(0);
            assertThat(CreditLedger.balance(amount.currency(), ledger).isNegative()).isFalse();
        }
    }

    @Provide
    Arbitrary<List<Event>> lives() {
        Arbitrary<Event> grant = Arbitraries.longs().between(0, 50_000).map(c -> new Event(true, c));
        Arbitrary<Event> invoice = Arbitraries.longs().between(-50_000, 50_000).map(c -> new Event(false, c));
        return Arbitraries.oneOf(grant, invoice).list();
    }

    @Example
    void anInvoiceBelowZeroTotalsZeroAndCarriesTheRest() {
        InvoiceSettlement s = InvoiceSettlement.of(Money.of("5.00", "EUR"), Money.of("-20.00", "EUR"));
        assertThat(s.total()).isEqualTo(Money.zero("EUR"));
        assertThat(s.carried()).isEqualTo(Money.of("20.00", "EUR"));
        assertThat(s.applied()).isEqualTo(Money.zero("EUR"));
        InvoiceSettlement next = InvoiceSettlement.of(Money.of("25.00", "EUR"), Money.of("10.00", "EUR"));
        assertThat(next.applied()).isEqualTo(Money.of("10.00", "EUR"));
        assertThat(next.total()).isEqualTo(Money.zero("EUR"));
    }
}

package dev.accrue.core.tax;

import dev.accrue.core.money.Money;

import java.util.Objects;

/** One charged amount of a document, already rounded to the minor unit, with its charge's tax category. */
public record Taxable(TaxCategory category, Money amount) {
    public Taxable {
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(amount, "amount");
    }
}

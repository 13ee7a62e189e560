package dev.accrue.core.invoice;

import dev.accrue.core.money.Money;
import dev.accrue.core.time.Period;

import java.math.BigDecimal;

/**
 * One line of an invoice. {@code amount} is already rounded to the currency's minor unit (once, when the line
 * was built); {@code unitPrice} keeps full precision. {@code quantity} is a fraction of a period for
 * prorated recurring lines (16/30 = 0.5333…), a count for usage. {@code servicePeriod} is half-open. {@code tax} is how
 * tax treated the line (null until the document is taxed, and on lines that are not charges: credit, prepaid).
 * {@code section} (null on an ordinary invoice) is the child account a line of a consolidated invoice belongs to: the
 * parent's one invoice of a period groups its children's lines under each child's name (docs/billing.md#account-hierarchies).
 */
public record InvoiceLine(String kind, String chargeCode, String description, Period servicePeriod, BigDecimal quantity,
                          Money unitPrice, Money amount, LineTax tax, Section section) {

    /** The child account a consolidated invoice's line is billed for: its id and its name when the line was invoiced. */
    public record Section(String customerId, String name) {
    }

    /** A line of an ordinary (not consolidated) invoice. */
    public InvoiceLine(String kind, String chargeCode, String description, Period servicePeriod, BigDecimal quantity, Money unitPrice, Money amount,
                       LineTax tax) {
        this(kind, chargeCode, description, servicePeriod, quantity, unitPrice, amount, tax, null);
    }

    /** A line as billing builds it, before tax looked at it. */
    public InvoiceLine(String kind, String chargeCode, String description, Period servicePeriod, BigDecimal quantity, Money unitPrice, Money amount) {
        this(kind, chargeCode, description, servicePeriod, quantity, unitPrice, amount, null);
    }

    public InvoiceLine withTax(LineTax lineTax) {
        return new InvoiceLine(kind, chargeCode, description, servicePeriod, quantity, unitPrice, amount, lineTax, section);
    }

    /** This line under a child's section of a consolidated invoice. */
    public InvoiceLine inSection(Section of) {
        return new InvoiceLine(kind, chargeCode, description, servicePeriod, quantity, unitPrice, amount, tax, of);
    }

    /** Whether this line is a tax (added on top, or included in the charged prices). */
    public boolean isTax() {
        return TAX.equals(kind) || TAX_INCLUDED.equals(kind);
    }

    /** Decimal places of a line's quantity, as stored: every computed quantity is rounded to it once. */
    public static final int QUANTITY_SCALE = 12;
    public static final String RECURRING = "recurring";
    public static final String PRORATION = "proration";
    public static final String USAGE = "usage";
    public static final String ADJUSTMENT = "adjustment";
    public static final String ADD_ON = "add_on";
    public static final String BUNDLE = "bundle";
    public static final String RENTAL = "rental";
    public static final String FEE = "fee";
    /** A charge outside the catalog (manual charge, professional services); its charge code is its tax category. */
    public static final String ONE_OFF = "one_off";
    public static final String TAX = "tax";
    /**
     * The tax contained in tax-inclusive prices: quantity = rate, unit price = the net amount, amount = the tax, like a
     * {@code tax} line, but already part of the charged lines, so it does not add to the invoice's total.
     */
    public static final String TAX_INCLUDED = "tax_included";
    /** Paid from the customer's prepaid wallet: a negative line, so the invoice's total is what is still owed. */
    public static final String PREPAID = "prepaid";
    /** A period priced by a count measured at renewal (contacts). */
    public static final String COUNTED = "counted";
    /** Customer credit consumed (the unused days of a cancelled subscription): a negative line, never more than the invoice owes. */
    public static final String CREDIT = "credit";
    /** A coupon's discount (negative), before tax and before customer credit; never more than the lines it applies to. */
    public static final String DISCOUNT = "discount";
    /** What tops a closed period up to a minimum: a charge's spending minimum, or the plan's minimum commitment. */
    public static final String TRUE_UP = "true_up";
    /**
     * Progressive billing: usage of the running period invoiced before its end once it reached a threshold, and (negated,
     * parked) its deduction on the period-end invoice, which bills the whole period's usage.
     */
    public static final String PROGRESSIVE = "progressive";
}

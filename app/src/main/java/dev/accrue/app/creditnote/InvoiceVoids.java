package dev.accrue.app.creditnote;

import dev.accrue.app.credit.CreditEntry;
import dev.accrue.app.credit.CreditRepository;
import dev.accrue.app.credit.CustomerCredits;
import dev.accrue.app.credit.InvoiceCreditConsumption;
import dev.accrue.app.creditwallet.InvoiceCreditWallets;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.invoice.Invoice;
import dev.accrue.app.invoice.InvoiceRepository;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.money.Money;

/**
 * What voiding an invoice must respect beyond its status (only a finalized, unpaid invoice is voided): the invoice
 * row is locked first, so a credit note being written for it either commits before (and the void is refused) or
 * waits and finds it void. Refused: an invoice corrected by credit notes or that carried corrections to customer
 * credit ({@code invoice_credited} — voiding it would hand that money out twice), and one partly paid, from the
 * prepaid wallet or by payments ({@code invoice_partly_paid}: the money received would be left without an invoice;
 * refund it or issue a credit note). Customer credit the invoice consumed goes back to the balance, and credit-wallet
 * credits to the lots they came from.
 */
public final class InvoiceVoids {
    private final CreditNoteRepository notes;
    private final CreditRepository credits;
    private final CustomerCredits customerCredits;
    private final CustomerRepository customers;
    private final InvoiceRepository invoices;
    private final InvoiceCreditWallets creditWallets;

    public InvoiceVoids(CreditNoteRepository notes, CreditRepository credits, CustomerCredits customerCredits, CustomerRepository customers,
                        InvoiceRepository invoices, InvoiceCreditWallets creditWallets) {
        this.creditWallets = creditWallets;
        this.notes = notes;
        this.invoices = invoices;
        this.credits = credits;
        this.customerCredits = customerCredits;
        this.customers = customers;
    }

    /** Runs in the voiding transaction, before the status changes; throws (and nothing changes) when the void is refused. */
    public void beforeVoid(String tenantId, Invoice invoice) {
        notes.lockInvoice(tenantId, invoice.id());
        if (!notes.ofInvoice(tenantId, invoice.id()).isEmpty()) {
            throw new AccrueException(ErrorCode.INVOICE_CREDITED, "status", "Invoice " + invoice.number()
                    + " has credit notes; it stays as it is and further corrections are credit notes");
        }
        if (invoice.lines().stream().anyMatch(l -> InvoiceLine.PREPAID.equals(l.kind()))) {
            throw new AccrueException(ErrorCode.INVOICE_PARTLY_PAID, "status", "Invoice " + invoice.number()
                    + " was partly paid from the prepaid wallet; correct it with a credit note instead");
        }
        // read again under the lock: payments lock the invoice row too, so none lands between this check and the void
        Money paid = invoices.find(tenantId, invoice.id()).map(Invoice::paid).orElse(Money.zero(invoice.total().currency()));
        if (paid.isPositive()) {
            throw new AccrueException(ErrorCode.INVOICE_PARTLY_PAID, "status", "Invoice " + invoice.number() + " was partly paid ("
                    + paid.toPlainMinorString() + " " + paid.currency().getCurrencyCode() + "); refund the payment or issue a credit note instead");
        }
        Money given = Money.zero(invoice.total().currency());
        for (CreditEntry e : credits.entries(tenantId, invoice.customerId())) {
            if (InvoiceCreditConsumption.sourcedBy(e.sourceId(), invoice.id())) {
                if (CreditEntry.GRANTED.equals(e.kind())) {
                    throw new AccrueException(ErrorCode.INVOICE_CREDITED, "status", "Invoice " + invoice.number()
                            + " carried " + e.amount().toPlainMinorString() + " to customer credit; correct it with a credit note instead");
                }
                given = given.plus(e.amount().negate());
            }
        }
        var customer = customers.find(tenantId, invoice.customerId()).orElseThrow();
        if (given.isPositive()) {
            customerCredits.grant(tenantId, customer, given, invoice.id() + ":void", "Given back: invoice " + invoice.number() + " was voided");
        }
        creditWallets.giveBack(tenantId, customer, invoice.id(), "Given back: invoice " + invoice.number() + " was voided");
    }
}

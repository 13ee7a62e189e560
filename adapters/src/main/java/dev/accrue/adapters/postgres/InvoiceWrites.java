package dev.accrue.adapters.postgres;

import dev.accrue.app.invoice.Invoice;
import dev.accrue.core.invoice.InvoiceLine;
import dev.accrue.core.invoice.InvoiceStatus;
import org.jdbi.v3.core.Handle;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;

/**
 * Writes invoices and their lines with one statement per table, however many invoices: each column travels as one
 * array and {@code unnest} turns the arrays back into rows (issue 18: a billing batch of 500 invoices pays two round
 * trips, not 1,000). Measured against a JDBI prepared batch (which the driver rewrites into multi-row inserts of at
 * most 128 rows) in docs/architecture.md. A taken billing key skips its invoice ({@code ON CONFLICT DO NOTHING}) and its
 * lines; the caller learns which invoices were written.
 */
final class InvoiceWrites {
    /** An invoice to insert, and when it finalizes if it is a draft. */
    record Row(String tenantId, Invoice invoice, Instant finalizeAfter) {
    }

    private InvoiceWrites() {
    }

    /** Inserts {@code rows} and the lines of those whose billing key was free; returns the ids of the invoices written. */
    static Set<String> insert(Handle h, List<Row> rows) {
        List<String> written = h.createQuery("""
                        INSERT INTO invoices (tenant_id, id, customer_id, subscription_id, billing_key, number, status, currency, issue_date,
                          due_date, period_start, period_end, subtotal, total, created_at, finalized_at, finalize_after)
                        SELECT * FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[]), CAST(:customers AS text[]), CAST(:subs AS text[]),
                          CAST(:keys AS text[]), CAST(:numbers AS text[]), CAST(:statuses AS text[]), CAST(:currencies AS text[]),
                          CAST(:issues AS date[]), CAST(:dues AS date[]), CAST(:starts AS date[]), CAST(:ends AS date[]),
                          CAST(:subtotals AS numeric[]), CAST(:totals AS numeric[]), CAST(:created AS timestamptz[]),
                          CAST(:finalized AS timestamptz[]), CAST(:finalizeAfter AS timestamptz[]))
                        ON CONFLICT (tenant_id, billing_key) DO NOTHING
                        RETURNING id""")
                .bindArray("tenants", String.class, column(rows, Row::tenantId))
                .bindArray("ids", String.class, column(rows, r -> r.invoice().id()))
                .bindArray("customers", String.class, column(rows, r -> r.invoice().customerId()))
                .bindArray("subs", String.class, column(rows, r -> r.invoice().subscriptionId()))
                .bindArray("keys", String.class, column(rows, r -> r.invoice().billingKey()))
                .bindArray("numbers", String.class, column(rows, r -> finalized(r) ? r.invoice().number() : null))
                .bindArray("statuses", String.class, column(rows, r -> r.invoice().status().name().toLowerCase(Locale.ROOT)))
                .bindArray("currencies", String.class, column(rows, r -> r.invoice().total().currency().getCurrencyCode()))
                .bindArray("issues", String.class, column(rows, r -> text(r.invoice().issueDate())))
                .bindArray("dues", String.class, column(rows, r -> text(r.invoice().dueDate())))
                .bindArray("starts", String.class, column(rows, r -> text(r.invoice().periodStart())))
                .bindArray("ends", String.class, column(rows, r -> text(r.invoice().periodEnd())))
                .bindArray("subtotals", String.class, column(rows, r -> text(r.invoice().subtotal().amount())))
                .bindArray("totals", String.class, column(rows, r -> text(r.invoice().total().amount())))
                .bindArray("created", String.class, column(rows, r -> text(r.invoice().createdAt())))
                .bindArray("finalized", String.class, column(rows, r -> finalized(r) ? text(r.invoice().finalizedAt()) : null))
                .bindArray("finalizeAfter", String.class, column(rows, r -> text(r.finalizeAfter())))
                .mapTo(String.class).list();
        Set<String> inserted = new HashSet<>(written);
        insertLinesOf(h, rows.stream().filter(r -> inserted.contains(r.invoice().id())).toList());
        return inserted;
    }

    private record LineRow(String tenantId, String invoiceId, int no, InvoiceLine line) {
    }

    private static void insertLinesOf(Handle h, List<Row> rows) {
        List<LineRow> lines = new ArrayList<>();
        for (Row r : rows) {
            int no = 1;
            for (InvoiceLine line : r.invoice().lines()) {
                lines.add(new LineRow(r.tenantId(), r.invoice().id(), no++, line));
            }
        }
        writeLines(h, lines);
    }

    /** Writes {@code lines} of one invoice numbered from {@code firstNo} (a consolidated invoice's section continues its lines). */
    static void insertLines(Handle h, String tenantId, String invoiceId, int firstNo, List<InvoiceLine> lines) {
        List<LineRow> rows = new ArrayList<>(lines.size());
        int no = firstNo;
        for (InvoiceLine line : lines) {
            rows.add(new LineRow(tenantId, invoiceId, no++, line));
        }
        writeLines(h, rows);
    }

    private static void writeLines(Handle h, List<LineRow> lines) {
        if (lines.isEmpty()) {
            return;
        }
        h.createUpdate("""
                        INSERT INTO invoice_lines (tenant_id, invoice_id, line_no, kind, charge_code, description, period_start, period_end,
                          quantity, unit_price, amount, tax_group, vat_category, tax_country, tax_region, section_customer_id, section_name)
                        SELECT * FROM unnest(CAST(:tenants AS text[]), CAST(:invoices AS text[]), CAST(:nos AS integer[]), CAST(:kinds AS text[]),
                          CAST(:charges AS text[]), CAST(:descriptions AS text[]), CAST(:starts AS date[]), CAST(:ends AS date[]),
                          CAST(:quantities AS numeric[]), CAST(:unitPrices AS numeric[]), CAST(:amounts AS numeric[]), CAST(:taxGroups AS integer[]),
                          CAST(:vatCategories AS text[]), CAST(:taxCountries AS text[]), CAST(:taxRegions AS text[]),
                          CAST(:sectionCustomers AS text[]), CAST(:sectionNames AS text[]))""")
                .bindArray("tenants", String.class, column(lines, LineRow::tenantId))
                .bindArray("invoices", String.class, column(lines, LineRow::invoiceId))
                .bindArray("nos", String.class, column(lines, l -> Integer.toString(l.no())))
                .bindArray("kinds", String.class, column(lines, l -> l.line().kind()))
                .bindArray("charges", String.class, column(lines, l -> l.line().chargeCode()))
                .bindArray("descriptions", String.class, column(lines, l -> l.line().description()))
                .bindArray("starts", String.class, column(lines, l -> l.line().servicePeriod() == null ? null : text(l.line().servicePeriod().start())))
                .bindArray("ends", String.class, column(lines, l -> l.line().servicePeriod() == null ? null : text(l.line().servicePeriod().end())))
                .bindArray("quantities", String.class, column(lines, l -> text(l.line().quantity())))
                .bindArray("unitPrices", String.class, column(lines, l -> text(l.line().unitPrice().amount())))
                .bindArray("amounts", String.class, column(lines, l -> text(l.line().amount().amount())))
                .bindArray("taxGroups", String.class, column(lines, l -> l.line().tax() == null ? null : text(l.line().tax().group())))
                .bindArray("vatCategories", String.class, column(lines, l -> l.line().tax() == null ? null : l.line().tax().vatCategory()))
                .bindArray("taxCountries", String.class, column(lines, l -> l.line().tax() == null ? null : l.line().tax().country()))
                .bindArray("taxRegions", String.class, column(lines, l -> l.line().tax() == null ? null : l.line().tax().region()))
                .bindArray("sectionCustomers", String.class, column(lines, l -> l.line().section() == null ? null : l.line().section().customerId()))
                .bindArray("sectionNames", String.class, column(lines, l -> l.line().section() == null ? null : l.line().section().name()))
                .execute();
    }

    private static boolean finalized(Row r) {
        return r.invoice().status() == InvoiceStatus.FINALIZED;
    }

    /** One column of {@code rows} as text, for an array PostgreSQL casts back to the column's type (also the subscriptions' set-based update). */
    static <T> List<String> column(List<T> rows, Function<T, String> value) {
        List<String> out = new ArrayList<>(rows.size());
        for (T row : rows) {
            out.add(value.apply(row));
        }
        return out;
    }

    static String text(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal d -> d.toPlainString();
            default -> value.toString(); // LocalDate (ISO), Instant (ISO, UTC): what PostgreSQL's date and timestamptz read
        };
    }
}

package dev.accrue.adapters.pdf;

import dev.accrue.app.document.Document;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The placeholders a tenant's email wording may use — the one list, so a template is checked against exactly what
 * rendering gives it: {@code document.number|title|issue_date|due_date|total}, the same under {@code invoice} (the
 * document, whatever its kind), {@code customer.name|id}, {@code seller.name}, {@code amount_due}, {@code currency}
 * and {@code link} (the hosted page). Values are plain text; the HTML email escapes the rendered intro as a whole.
 */
final class EmailWording {
    private EmailWording() {
    }

    static Map<String, Object> context(Document d, String link) {
        String total = d.total("total") == null ? d.amountDue().toPlainMinorString() : d.total("total").amountText();
        return context(d.number(), d.title(), String.valueOf(d.issueDate()), d.dueDate() == null ? "" : d.dueDate().toString(), total,
                d.customer().name(), d.customer().id() == null ? "" : d.customer().id(), d.seller().name(), d.amountDue().toPlainMinorString(),
                d.currency(), link == null ? "" : link);
    }

    /** Sample values, to check a template before it is stored. */
    static Map<String, Object> sample() {
        return context("INV-1", "Invoice", "2026-01-01", "2026-01-15", "10.00", "Customer", "cus_1", "Seller", "10.00", "EUR", "https://example.com");
    }

    private static Map<String, Object> context(String number, String title, String issueDate, String dueDate, String total, String customerName,
                                               String customerId, String sellerName, String amountDue, String currency, String link) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("number", number);
        document.put("title", title);
        document.put("issue_date", issueDate);
        document.put("due_date", dueDate);
        document.put("total", total);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("document", document);
        c.put("invoice", document);
        c.put("customer", Map.of("name", customerName, "id", customerId));
        c.put("seller", Map.of("name", sellerName));
        c.put("amount_due", amountDue);
        c.put("currency", currency);
        c.put("link", link);
        return c;
    }
}

package dev.accrue.core.invoice;

/**
 * How tax treated one invoice line, recorded when the document was taxed so that documents, e-invoices and tax
 * reports read it back instead of recomputing it later from rates that may have changed since.
 *
 * <p>{@code group} is the 1-based number of the invoice's tax line (of kind {@code tax} or {@code tax_included}) that
 * covers the line: a charge line and its tax line share it; null for a charge no tax line covers (an export, a
 * supply outside the scope of tax). {@code vatCategory} is its EN 16931 VAT category code (S, Z, E, AE, K, G, O);
 * {@code country} and {@code region} the jurisdiction it was taxed in (null when none).
 */
public record LineTax(Integer group, String vatCategory, String country, String region) {
}

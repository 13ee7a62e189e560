package dev.accrue.bench;

import dev.accrue.adapters.einvoice.MustangEInvoices;
import dev.accrue.adapters.pdf.PdfDocumentRenderer;
import dev.accrue.adapters.pdf.Templates;
import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentKind;
import dev.accrue.core.money.Money;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Renders an invoice of L lines (default 50) to PDF with the production renderer (the Pebble template, then
 * openhtmltopdf with the embedded Noto fonts), W times to warm up and N times measured, one at a time on the
 * calling thread. Prints per-render latency percentiles (wall, then the thread's CPU time), and the same for the Factur-X PDF/A-3 (the invoice
 * email's attachment). No database: the document is built in memory, as a billing run never renders.
 */
public final class PdfRenderBenchmark {
    private PdfRenderBenchmark() {
    }

    public static void main(String[] args) {
        int lines = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 300;
        int measured = args.length > 2 ? Integer.parseInt(args[2]) : 300;
        Document invoice = invoice(lines);
        PdfDocumentRenderer renderer = new PdfDocumentRenderer(new Templates());
        MustangEInvoices eInvoices = new MustangEInvoices();
        System.out.printf("PDF of a %d-line invoice, %d warm-up renders, %d measured, %d available processor(s)%n", lines, warmup, measured,
                Runtime.getRuntime().availableProcessors());
        int bytes = 0;
        for (int i = 0; i < warmup; i++) {
            bytes = renderer.pdf(invoice).length;
        }
        report("pdf", time(measured, () -> renderer.pdf(invoice)));
        report("pdf cpu", cpuTime(measured, () -> renderer.pdf(invoice)));
        System.out.printf("  size %d KiB%n", bytes / 1024);
        int facturXWarmup = Math.max(10, warmup / 5);
        for (int i = 0; i < facturXWarmup; i++) {
            eInvoices.facturX(invoice, renderer.pdfA3(invoice));
        }
        report("facturx", time(Math.max(10, measured / 5), () -> eInvoices.facturX(invoice, renderer.pdfA3(invoice))));
    }

    /**
     * The CPU time of the rendering thread per render: on a machine shared with other work, wall time also counts
     * the waits for the core; this is the work a render itself costs.
     */
    private static long[] cpuTime(int n, Runnable r) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = threads.getCurrentThreadCpuTime();
            r.run();
            nanos[i] = threads.getCurrentThreadCpuTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static long[] time(int n, Runnable r) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            r.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static void report(String what, long[] sorted) {
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        System.out.printf("  %-8s mean %6.1f ms  p50 %6.1f ms  p95 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n", what, mean, ms(sorted, 0.50),
                ms(sorted, 0.95), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    static Document invoice(int n) {
        String[] what = {"Outbound calls to Germany", "Звонки в Москву", "Κλήσεις προς Αθήνα", "मुंबई को कॉल", "SMS to United States"};
        List<Document.Line> lines = new ArrayList<>();
        Money subtotal = Money.zero("EUR");
        LocalDate start = LocalDate.of(2026, 3, 1);
        LocalDate end = LocalDate.of(2026, 3, 31);
        for (int i = 1; i <= n; i++) {
            BigDecimal quantity = BigDecimal.valueOf(37L * i);
            Money unit = Money.of("0.0125", "EUR");
            Money amount = unit.times(quantity).rounded(RoundingMode.HALF_UP);
            subtotal = subtotal.plus(amount);
            lines.add(new Document.Line("usage", "calls", what[i % what.length] + " #" + i, start, end, quantity, unit, amount));
        }
        var seller = new Document.Party(null, "Accrue Telecom GmbH", List.of("Friedrichstraße 123", "10117 Berlin", "Germany"), "Friedrichstraße 123",
                "Berlin", "10117", "DE", "DE123456789", null, "HRB 987654 B", "billing@accrue.example", null, null);
        var customer = new Document.Party("cus_bench", "Rivoli Consulting SARL", List.of("12 Rue de Rivoli", "75001 Paris", "France"), "12 Rue de Rivoli",
                "Paris", "75001", "FR", "FR40303265045", null, null, "ap@rivoli.example", null, null);
        List<Document.Total> totals = List.of(new Document.Total("subtotal", "Subtotal", subtotal, false),
                new Document.Total("total", "Total", subtotal, true), new Document.Total("amount_due", "Amount due", subtotal, true));
        return new Document(DocumentKind.INVOICE, "inv_bench", "INV-000042", "finalized", LocalDate.of(2026, 4, 1), LocalDate.of(2026, 4, 15), start, end,
                seller, customer, "EUR", lines, List.of(), totals, subtotal, "Net 14 days", null,
                new Document.Branding("#1F3A5F", null, "Thank you for your business.", "Accrue Telecom GmbH", "Berliner Bank", "DE89370400440532013000",
                        "COBADEFFXXX"), List.of(), "bench");
    }
}

package dev.accrue.adapters.pdf;

import dev.accrue.app.document.Document;
import dev.accrue.app.document.DocumentKind;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every shipped template renders for every kind of document; an unknown placeholder is a precise error. */
class TemplatesTest {
    static Document sample(DocumentKind kind) {
        Money amount = Money.of("12.50", "EUR");
        var party = new Document.Party("cus_1", "Müller & Söhne <GmbH>", List.of("Hauptstraße 1", "10115 Berlin", "Germany"), "Hauptstraße 1", "Berlin",
                "10115", "DE", "DE123456789", null, null, "a@b.example", null, null);
        var line = new Document.Line("usage", "calls", "Calls", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31), BigDecimal.TEN,
                Money.of("1.25", "EUR"), amount);
        var tax = new Document.TaxLine("VAT", new BigDecimal("0.19"), amount, Money.of("2.38", "EUR"));
        List<Document.Total> totals = List.of(new Document.Total("subtotal", "Subtotal", amount, false),
                new Document.Total("consumption", "Consumption", amount, false), new Document.Total("total", "Total", amount, true), new Document.Total("amount_due", "Amount due", amount, true));
        return new Document(kind, "x_1", "N-1", "finalized", LocalDate.of(2026, 4, 1), LocalDate.of(2026, 4, 15), LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 3, 31), party, party, "EUR", List.of(line), List.of(tax), totals, amount, "Net 14 days",
                new Document.Payment(LocalDate.of(2026, 4, 2), "REF-1"), new Document.Branding("#123456", null, "Footer", "Holder", "Bank",
                "DE89370400440532013000", "COBADEFFXXX"), List.of("A note"), "ref");
    }

    @Test
    void everyTemplateRendersEveryKindAndEscapesHtml() {
        var renderer = new PdfDocumentRenderer(new Templates());
        for (DocumentKind kind : DocumentKind.values()) {
            Document d = sample(kind);
            String html = renderer.html(d, "/hosted/t/pdf");
            assertThat(html).contains(kind.title(), "N-1", "Müller &amp; Söhne &lt;GmbH&gt;", "VAT", "19 %", "Download PDF");
            var email = renderer.email(d, "https://billing.example/hosted/t");
            assertThat(email.subject()).isNotBlank().doesNotContain("\n");
            assertThat(email.text()).contains("N-1", "https://billing.example/hosted/t", "Müller & Söhne <GmbH>");
            assertThat(email.html()).contains("https://billing.example/hosted/t", "Müller &amp; Söhne &lt;GmbH&gt;");
            assertThat(renderer.pdf(d)).startsWith("%PDF".getBytes());
        }
    }

    @Test
    void anUnknownPlaceholderOrBrokenSyntaxIsAnInvalidTemplateErrorNamingTheLine() {
        Templates templates = new Templates();
        Map<String, Object> context = PdfDocumentRenderer.context(sample(DocumentKind.INVOICE), null);
        assertThat(templates.check("Invoice {{ doc.number }}", context)).isEqualTo("Invoice N-1");
        assertThatThrownBy(() -> templates.check("Invoice\n{{ doc.numbr }}", context)).isInstanceOfSatisfying(AccrueException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEMPLATE);
            assertThat(e.getMessage()).contains("line 2", "numbr");
        });
        assertThatThrownBy(() -> templates.check("{% if %}", context)).isInstanceOfSatisfying(AccrueException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TEMPLATE));
    }
}

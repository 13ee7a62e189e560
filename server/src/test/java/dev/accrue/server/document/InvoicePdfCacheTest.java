package dev.accrue.server.document;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.Sandbox;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A numbered invoice's PDF is rendered once per content (issue 15 point 11, the PDF download's p99): the repeated
 * download is a cache hit with the same bytes, and a change of what the invoice prints (paid) is a new render,
 * never the stale PDF.
 */
class InvoicePdfCacheTest {
    private final Api anonymous = new Api(TestNode.get().baseUrl(), null);

    @Test
    void aRepeatedDownloadIsServedFromTheCacheAndAPaymentRendersAgain() {
        Sandbox s = DocumentTest.sandboxWithSeller("pdf cache");
        String c = DocumentTest.customer(s, "Cache Consulting SARL", 14);
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "pro")).get("id").asText();
        String id = DocumentTest.firstInvoice(s, sub).get("id").asText();

        byte[] first = s.api.getFile("/v1/invoices/" + id + "/pdf").body();
        String before = scrape();
        byte[] second = s.api.getFile("/v1/invoices/" + id + "/pdf").body();
        String afterRepeat = scrape();
        assertThat(second).isEqualTo(first);
        assertThat(delta(before, afterRepeat, "result=\"hit\"")).isGreaterThanOrEqualTo(1);
        assertThat(Pdfs.read(second).text()).doesNotContain("Paid on");

        assertThat(s.api.post("/v1/invoices/" + id + "/mark_paid", Map.of("reference", "SEPA-CACHE-1")).status()).isEqualTo(200);
        byte[] paid = s.api.getFile("/v1/invoices/" + id + "/pdf").body();
        String afterPaid = scrape();
        assertThat(delta(afterRepeat, afterPaid, "result=\"miss\"")).isGreaterThanOrEqualTo(1);
        assertThat(Pdfs.read(paid).text()).contains("Paid on", "SEPA-CACHE-1");
        // the paid version is now the cached one
        assertThat(s.api.getFile("/v1/invoices/" + id + "/pdf").body()).isEqualTo(paid);
    }

    @Test
    void aReceiptsRepeatedDownloadIsServedFromTheCache() {
        Sandbox s = DocumentTest.sandboxWithSeller("receipt pdf cache");
        Map<String, Object> body = Fixtures.customer("Cache Prepaid GmbH");
        body.put("currency", "USD");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("account_type", "prepaid");
        body.put("test_clock_id", s.clockId);
        String customer = s.api.post("/v1/customers", body).text("id");
        var topUp = s.api.post("/v1/customers/" + customer + "/wallet/top_ups", Map.of("amount", "20.00", "currency", "USD"));
        assertThat(topUp.status()).as(topUp.toString()).isEqualTo(201);
        String receipt = topUp.text("id");

        byte[] first = s.api.getFile("/v1/receipts/" + receipt + "/pdf").body();
        String before = scrape();
        byte[] second = s.api.getFile("/v1/receipts/" + receipt + "/pdf").body();
        assertThat(second).isEqualTo(first);
        assertThat(delta(before, scrape(), "result=\"hit\"")).isGreaterThanOrEqualTo(1);
        assertThat(Pdfs.read(second).text()).contains("20.00");
    }

    private String scrape() {
        var metrics = anonymous.get("/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        return metrics.body();
    }

    private static double delta(String before, String after, String result) {
        return value(after, result) - value(before, result);
    }

    private static double value(String scrape, String result) {
        Matcher m = Pattern.compile("(?m)^cache_gets_total\\{([^}]*)} ([-0-9.eE+]+)$").matcher(scrape);
        double sum = 0;
        while (m.find()) {
            if (m.group(1).contains("cache=\"invoice_pdfs\"") && m.group(1).contains(result)) {
                sum += Double.parseDouble(m.group(2));
            }
        }
        return sum;
    }
}

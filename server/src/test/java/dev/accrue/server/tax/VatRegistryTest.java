package dev.accrue.server.tax;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.accrue.adapters.vies.ViesVatRegistry;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.page.PageRequest;
import dev.accrue.app.tax.VatRegistry;
import dev.accrue.core.customer.CustomerDraft;
import dev.accrue.core.error.AccrueException;
import dev.accrue.server.Services;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The VIES adapter against a local HTTP server answering the bodies VIES's REST API documents for
 * {@code POST /check-vat-number} (a registered number, an unregistered one, a member state that is down, a
 * service error, a registry too slow), and the rule on customer save with the check on: a number VIES does not know
 * is refused ({@code vat_id_not_registered}, nothing saved), an unreachable registry does not block the save and is
 * recorded in the audit log.
 */
class VatRegistryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static HttpServer vies;
    private static String url;

    @BeforeAll
    static void startVies() throws IOException {
        vies = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        vies.createContext("/rest-api/check-vat-number", exchange -> {
            var request = JSON.readTree(exchange.getRequestBody());
            String number = request.get("vatNumber").asText();
            String country = request.get("countryCode").asText();
            int status = 200;
            String body = switch (number) {
                case "123456789" -> """
                        {"countryCode":"%s","vatNumber":"%s","requestDate":"2026-11-30T10:00:00.000Z","valid":true,"requestIdentifier":"",
                         "name":"MUSTER GMBH","address":"FRIEDRICHSTRASSE 1, 10117 BERLIN","traderName":"","traderStreet":"","traderPostalCode":"",
                         "traderCity":"","traderCompanyType":"","traderNameMatch":"NOT_PROCESSED","traderStreetMatch":"NOT_PROCESSED",
                         "traderPostalCodeMatch":"NOT_PROCESSED","traderCityMatch":"NOT_PROCESSED","traderCompanyTypeMatch":"NOT_PROCESSED"}"""
                        .formatted(country, number);
                case "999999999" -> """
                        {"countryCode":"%s","vatNumber":"%s","requestDate":"2026-11-30T10:00:00.000Z","valid":false,"requestIdentifier":"",
                         "name":"---","address":"---"}""".formatted(country, number);
                case "111111111" -> """
                        {"actionSucceed":false,"errorWrappers":[{"error":"MS_UNAVAILABLE","message":"The member state service is unavailable"}]}""";
                case "222222222" -> {
                    status = 500;
                    yield """
                            {"actionSucceed":false,"errorWrappers":[{"error":"SERVICE_UNAVAILABLE","message":"An error was encountered"}]}""";
                }
                default -> {
                    try {
                        Thread.sleep(3_000); // slower than the adapter waits
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    yield "{}";
                }
            };
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        vies.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        vies.start();
        url = "http://127.0.0.1:" + vies.getAddress().getPort() + "/rest-api";
    }

    @AfterAll
    static void stopVies() {
        vies.stop(0);
    }

    @Test
    void theAdapterReadsViesDocumentedAnswers() throws IOException {
        ViesVatRegistry registry = new ViesVatRegistry(url, Duration.ofMillis(800));
        assertThat(registry.check("DE123456789").status()).isEqualTo(VatRegistry.Status.REGISTERED);
        assertThat(registry.check("DE999999999").status()).isEqualTo(VatRegistry.Status.NOT_REGISTERED);
        var down = registry.check("DE111111111");
        assertThat(down.status()).isEqualTo(VatRegistry.Status.UNAVAILABLE);
        assertThat(down.detail()).contains("MS_UNAVAILABLE");
        assertThat(registry.check("DE222222222").detail()).contains("500", "SERVICE_UNAVAILABLE");
        assertThat(registry.check("DE333333333").status()).isEqualTo(VatRegistry.Status.UNAVAILABLE);
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertThat(new ViesVatRegistry("http://127.0.0.1:" + closed, Duration.ofMillis(800)).check("DE123456789").status())
                .isEqualTo(VatRegistry.Status.UNAVAILABLE);
    }

    private static CustomerDraft draft(String name, String vatId) {
        return new CustomerDraft(null, name, List.of("billing@example.com"),
                new CustomerDraft.AddressDraft("Friedrichstraße 1", null, "Berlin", null, "10117", "DE"), "EUR", "Europe/Berlin", vatId, "business",
                null, null, null, Map.of(), null);
    }

    @Test
    void withTheCheckOnAnUnregisteredVatIdIsRefusedAndAnUnreachableRegistryIsRecordedNotBlocking() {
        TestNode node = TestNode.get();
        var tenant = node.newTenant("vies");
        Services checked = Services.wire(node.accrue().database().jdbi(), Clock.systemUTC(), node::baseUrl,
                new ViesVatRegistry(url, Duration.ofMillis(800)));
        Caller caller = Caller.system(tenant.id());

        var registered = checked.customers().create(caller, draft("Muster GmbH", "DE123456789"));
        assertThat(registered.taxId()).isEqualTo("DE123456789");

        assertThatThrownBy(() -> checked.customers().create(caller, draft("Phantom GmbH", "DE999999999")))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code().wire()).isEqualTo("vat_id_not_registered"));
        // nothing was saved
        assertThat(checked.customers().list(caller, CustomerQuery.all(), new PageRequest(100, null)).items())
                .extracting(c -> c.legalName()).containsExactly("Muster GmbH");

        var saved = checked.customers().create(caller, draft("Langsam GmbH", "DE111111111"));
        assertThat(saved.taxId()).isEqualTo("DE111111111");
        var audit = tenant.api().get("/v1/audit_events?object_id=" + saved.id()).json().get("data").toString();
        assertThat(audit).contains("customer.vat_id_unverified", "MS_UNAVAILABLE");
        assertThat(tenant.api().get("/v1/audit_events?object_id=" + registered.id()).json().get("data").toString()).contains("customer.vat_id_verified");

        // an update to an unregistered id is refused and the customer keeps its id; the same id is not asked again
        assertThatThrownBy(() -> checked.customers().update(caller, registered.id(), d -> new CustomerDraft(d.externalId(), d.legalName(),
                d.billingEmails(), d.billingAddress(), d.currency(), d.timeZone(), "DE999999999", d.taxStatus(), d.alignment(), d.paymentTerms(),
                d.accountType(), d.metadata(), d.testClockId())))
                .isInstanceOfSatisfying(AccrueException.class, e -> assertThat(e.code().wire()).isEqualTo("vat_id_not_registered"));
        assertThat(checked.customers().get(caller, registered.id()).taxId()).isEqualTo("DE123456789");

        // the node as deployed by default does not ask any registry: format only
        var plain = tenant.api().post("/v1/customers", Map.of("legal_name", "Phantom Zwei GmbH", "billing_emails", List.of("b@example.com"), "currency", "EUR", "tax_id", "DE999999999",
                "billing_address", Map.of("line1", "x", "city", "Berlin", "country", "DE")));
        assertThat(plain.status()).as(plain.toString()).isEqualTo(201);
    }
}

package dev.accrue.server.payment;

import com.sun.net.httpserver.HttpServer;
import dev.accrue.adapters.payment.stripe.StripeSettings;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.server.PaymentGateways;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaymentGatewaysTest {
    private static final String KEY = "sk_test_51PaymentGatewaysTestKeyAbCdEf7781";
    private static final String WHSEC = "whsec_PaymentGatewaysTestSecret9921";

    @Test
    void withoutStripeKeysTheSandboxIsUsed() {
        PaymentGateway sandbox = PaymentGateways.stripe(Map.of(SECRET(), KEY, WEBHOOK(), WHSEC), Clock.systemUTC()).orElseThrow();
        assertThat(PaymentGateways.stripe(Map.of(), Clock.systemUTC())).isEmpty();
        assertThat(PaymentGateways.stripe(Map.of(SECRET(), "  ", WEBHOOK(), ""), Clock.systemUTC())).as("blank is unset").isEmpty();
        assertThat(PaymentGateways.fromConfig(Map.of(), Clock.systemUTC(), () -> sandbox)).isSameAs(sandbox);
        assertThat(PaymentGateways.describe(Map.of())).startsWith("sandbox");
    }

    @Test
    void withStripeKeysStripeIsUsedAtTheConfiguredApiBaseWithTheConfiguredKey() throws IOException {
        List<String> seen = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath() + " " + exchange.getRequestHeaders().getFirst("Authorization")
                    + " " + exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            byte[] body = "{\"id\":\"cus_RdK3mN8pQ2xT6h\",\"object\":\"customer\",\"livemode\":false}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of(SECRET(), KEY, WEBHOOK(), WHSEC, PaymentGateways.API_BASE, "http://127.0.0.1:" + server.getAddress().getPort());
            PaymentGateway gateway = PaymentGateways.fromConfig(env, Clock.systemUTC(), () -> {
                throw new AssertionError("the sandbox must not be built when Stripe is configured");
            });
            assertThat(gateway.name()).isEqualTo("stripe");
            assertThat(gateway.createCustomer("cus_01ACCRUE", "ada@example.com", "Ada", "cust-key-1")).isEqualTo("cus_RdK3mN8pQ2xT6h");
            assertThat(seen).containsExactly("POST /v1/customers Bearer " + KEY + " cust-key-1");
            assertThat(PaymentGateways.describe(env)).contains("Stripe (test mode)").contains("sk_test_…7781").doesNotContain("AbCdEf");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void theLiveApiIsTheDefaultBase() {
        StripeSettings settings = PaymentGateways.stripeSettings(Map.of(SECRET(), KEY, WEBHOOK(), WHSEC)).orElseThrow();
        assertThat(settings.apiBase()).isEqualTo("https://api.stripe.com");
        assertThat(settings.webhookSecret()).isEqualTo(WHSEC);
    }

    @Test
    void halfAStripeConfigurationFailsAtBootWithoutShowingTheSecret() {
        assertThatThrownBy(() -> PaymentGateways.stripeSettings(Map.of(SECRET(), KEY)))
                .hasMessageContaining(WEBHOOK()).hasMessageNotContaining("AbCdEf");
        assertThatThrownBy(() -> PaymentGateways.stripeSettings(Map.of(WEBHOOK(), WHSEC)))
                .hasMessageContaining(SECRET()).hasMessageNotContaining("TestSecret");
        assertThatThrownBy(() -> PaymentGateways.stripeSettings(Map.of(SECRET(), "pk_test_51PublishableKeyNotSecret0042", WEBHOOK(), WHSEC)))
                .as("a publishable key cannot charge").hasMessageContaining("sk_").hasMessageNotContaining("PublishableKeyNot");
        assertThatThrownBy(() -> PaymentGateways.stripeSettings(Map.of(SECRET(), KEY, WEBHOOK(), "secret123456789")))
                .hasMessageContaining("whsec_").hasMessageNotContaining("secret123456789");
        assertThatThrownBy(() -> PaymentGateways.stripeSettings(Map.of(SECRET(), KEY, WEBHOOK(), WHSEC, PaymentGateways.API_BASE, "api.stripe.com/v1")))
                .hasMessageContaining(PaymentGateways.API_BASE);
    }

    private static String SECRET() {
        return PaymentGateways.SECRET_KEY;
    }

    private static String WEBHOOK() {
        return PaymentGateways.WEBHOOK_SECRET;
    }

    @Test
    void thePublishableKeyForTheStripeFormIsCheckedAtBoot() {
        String pk = "pk_test_51PaymentGatewaysPublishable0042";
        assertThat(PaymentGateways.publishableKey(Map.of())).isEmpty();
        assertThat(PaymentGateways.publishableKey(Map.of(SECRET(), KEY, WEBHOOK(), WHSEC, PaymentGateways.PUBLISHABLE_KEY, pk))).contains(pk);
        assertThatThrownBy(() -> PaymentGateways.publishableKey(Map.of(PaymentGateways.PUBLISHABLE_KEY, pk)))
                .hasMessageContaining("ACCRUE_STRIPE_SECRET_KEY is not");
        assertThatThrownBy(() -> PaymentGateways.publishableKey(Map.of(SECRET(), KEY, WEBHOOK(), WHSEC, PaymentGateways.PUBLISHABLE_KEY, KEY)))
                .hasMessageContaining("must be a Stripe publishable key").hasMessageNotContaining("AbCdEf");
        assertThatThrownBy(() -> PaymentGateways.publishableKey(Map.of(SECRET(), KEY, WEBHOOK(), WHSEC, PaymentGateways.PUBLISHABLE_KEY,
                "pk_live_51PaymentGatewaysPublishable0042"))).hasMessageContaining("different modes");
    }
}

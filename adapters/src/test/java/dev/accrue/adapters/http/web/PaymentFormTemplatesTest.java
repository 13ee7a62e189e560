package dev.accrue.adapters.http.web;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payment-method page's add forms per gateway: the sandbox's three tokenization forms (card, bank account with
 * its mandate, UPI), Stripe's Elements form when Stripe is configured with a publishable key, and the page's
 * Content-Security-Policy, which lets Stripe.js in only for that page. (A node configured with Stripe cannot run in
 * the test suite, whose shared node uses the sandbox; the server side of the Stripe form is tested against the local
 * Stripe in StripeGatewayTest.)
 */
class PaymentFormTemplatesTest {
    private final WebTemplates templates = new WebTemplates();

    private String page(String gateway, Map<String, Object> stripe) {
        Map<String, Object> model = new HashMap<>();
        model.put("methods", List.of());
        model.put("gateway", gateway);
        model.put("csrf", "csrf-token-1");
        model.put("brand", Map.of("name", "Acme Voice"));
        if (stripe != null) {
            model.put("stripe", stripe);
        }
        return templates.render("portal/payment_methods", model, Locale.ENGLISH);
    }

    @Test
    void withStripeConfiguredThePageMountsStripeElementsInsteadOfTheSandboxForms() {
        String html = page("stripe", Map.of("publishableKey", "pk_test_51FormTemplateKey"));
        assertThat(html).contains("<script src=\"https://js.stripe.com/v3/\"></script>").contains("/assets/stripe_card.js")
                .contains("data-publishable-key=\"pk_test_51FormTemplateKey\"").contains("data-setup=\"/portal/payment_methods/setup_intent\"")
                .contains("id=\"stripe-element\"").contains("name=\"token\"");
        assertThat(html).doesNotContain("/v1/sandbox/tokens").doesNotContain("card-number").doesNotContain("sandbox_card.js");
    }

    @Test
    void withStripeThePageAlsoOffersSepaDirectDebitThroughStripesIbanFieldWithTheMandateTextToAccept() {
        String html = page("stripe", Map.of("publishableKey", "pk_test_51FormTemplateKey"));
        assertThat(html).contains("id=\"stripe-sepa-form\"").contains("data-setup=\"/portal/payment_methods/sepa_setup_intent\"")
                .contains("id=\"stripe-iban\"").contains("id=\"sepa-holder\"").contains("id=\"sepa-email\"")
                .contains("collect payments from this account by SEPA direct debit").contains("id=\"sepa-mandate\" type=\"checkbox\" required");
        // the IBAN itself is typed into Stripe's frame: no IBAN input of the portal's own
        assertThat(html).doesNotContain("id=\"bank-iban\"");
    }

    @Test
    void withTheSandboxThePageHasTheCardBankAccountAndUpiForms() {
        String html = page("sandbox", null);
        assertThat(html).contains("id=\"card-form\"").contains("id=\"bank-form\"").contains("id=\"upi-form\"").contains("id=\"bank-mandate\"")
                .contains("I authorise Acme Voice to collect payments").contains("/assets/sandbox_card.js");
        assertThat(html).doesNotContain("js.stripe.com");
        // the tokenization fields have no name: a browser never submits them to the portal
        assertThat(html).doesNotContain("name=\"iban\"").doesNotContain("name=\"vpa\"").doesNotContain("name=\"number\"");
    }

    @Test
    void withStripeButNoPublishableKeyThePageSaysWhereMethodsAreAdded() {
        String html = page("stripe", null);
        assertThat(html).contains("added through the payment provider").doesNotContain("js.stripe.com").doesNotContain("card-form");
    }

    @Test
    void onlyTheStripeFormsPolicyAllowsStripeJs() {
        assertThat(WebArea.contentSecurityPolicy(false)).contains("script-src 'self';").doesNotContain("stripe");
        assertThat(WebArea.contentSecurityPolicy(true)).contains("script-src 'self' https://js.stripe.com;")
                .contains("frame-src https://js.stripe.com https://hooks.stripe.com").contains("connect-src 'self' https://api.stripe.com")
                .contains("object-src 'none'");
    }
}

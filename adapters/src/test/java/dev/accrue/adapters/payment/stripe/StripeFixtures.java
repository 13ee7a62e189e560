package dev.accrue.adapters.payment.stripe;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Stripe's test-mode PaymentMethods (docs.stripe.com/testing) as the API reference shapes them, and the
 * card_error each one answers: the error object of docs.stripe.com/api/errors with Stripe's test-mode
 * codes and messages.
 */
final class StripeFixtures {
    private record Card(String brand, String last4, String errorCode, String declineCode, String adviceCode, String message,
                        boolean declinesAtSetup) {
    }

    private static final Map<String, Card> CARDS = Map.ofEntries(
            Map.entry("pm_card_visa", new Card("visa", "4242", null, null, null, null, false)),
            Map.entry("pm_card_mastercard", new Card("mastercard", "4444", null, null, null, null, false)),
            Map.entry("pm_card_visa_chargeDeclined", new Card("visa", "0002", "card_declined", "generic_decline", null,
                    "Your card was declined.", true)),
            Map.entry("pm_card_visa_chargeDeclinedInsufficientFunds", new Card("visa", "9995", "card_declined", "insufficient_funds",
                    "try_again_later", "Your card has insufficient funds.", true)),
            Map.entry("pm_card_visa_chargeDeclinedLostCard", new Card("visa", "9987", "card_declined", "lost_card", null,
                    "Your card was declined.", true)),
            Map.entry("pm_card_visa_chargeDeclinedStolenCard", new Card("visa", "9979", "card_declined", "stolen_card", null,
                    "Your card was declined.", true)),
            Map.entry("pm_card_chargeDeclinedExpiredCard", new Card("visa", "0069", "expired_card", "expired_card", null,
                    "Your card has expired.", true)),
            Map.entry("pm_card_chargeDeclinedIncorrectCvc", new Card("visa", "0127", "incorrect_cvc", "incorrect_cvc", null,
                    "Your card's security code is incorrect.", true)),
            Map.entry("pm_card_chargeDeclinedProcessingError", new Card("visa", "0119", "processing_error", "processing_error", null,
                    "An error occurred while processing your card. Try again in a little bit.", true)),
            Map.entry("pm_card_radarBlock", new Card("visa", "0019", "card_declined", "fraudulent", null,
                    "Your card was declined.", true)),
            // attaches and verifies, then every charge is declined (Stripe's 4000 0000 0000 0341)
            Map.entry("pm_card_chargeCustomerFail", new Card("visa", "0341", "card_declined", "generic_decline", null,
                    "Your card was declined.", false)),
            // not a Stripe test id: a do_not_honor decline whose issuer advises never retrying (advice_code wins over the code)
            Map.entry("pm_card_doNotHonorDoNotRetry", new Card("visa", "0036", "card_declined", "do_not_honor", "do_not_try_again",
                    "Your card was declined.", false)));

    private StripeFixtures() {
    }

    static Map<String, Object> paymentMethod(String id) {
        if (id == null) {
            return null;
        }
        Map<String, Object> pm = LocalStripe.object(id, "payment_method");
        pm.put("customer", null);
        pm.put("billing_details", billingDetails());
        if ("pm_sepa_debit".equals(id)) {
            pm.put("type", "sepa_debit");
            pm.put("sepa_debit", Map.of("bank_code", "37040044", "branch_code", "", "country", "DE", "fingerprint", "vifs0Ho7vwRn1Miu",
                    "generated_from", mapOfNulls("charge", "setup_attempt"), "last4", "3000"));
            return pm;
        }
        if ("pm_upi".equals(id)) {
            pm.put("type", "upi");
            pm.put("upi", Map.of("vpa", "rajesh.kumar@okhdfcbank"));
            return pm;
        }
        Card card = CARDS.get(id);
        if (card == null) {
            return null;
        }
        pm.put("type", "card");
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("brand", card.brand());
        details.put("checks", mapOfNulls("address_line1_check", "address_postal_code_check"));
        details.put("country", "US");
        details.put("display_brand", card.brand());
        details.put("exp_month", 8);
        details.put("exp_year", 2031);
        details.put("fingerprint", "Xt5EWLLDS7FJjR1c");
        details.put("funding", "credit");
        details.put("generated_from", null);
        details.put("last4", card.last4());
        details.put("networks", Map.of("available", List.of(card.brand()), "preferred", "visa"));
        details.put("three_d_secure_usage", Map.of("supported", true));
        details.put("wallet", null);
        pm.put("card", details);
        return pm;
    }

    /** The error a charge with this method answers, null when it succeeds. */
    static Map<String, Object> chargeDecline(String pm) {
        Card card = CARDS.get(pm);
        return card == null || card.errorCode() == null ? null : error(card);
    }

    /** The error verifying this method answers, null when it verifies. */
    static Map<String, Object> setupDecline(String pm) {
        Card card = CARDS.get(pm);
        return card == null || !card.declinesAtSetup() ? null : error(card);
    }

    static Map<String, Object> mandate(String id) {
        Map<String, Object> mandate = LocalStripe.object(id, "mandate");
        mandate.remove("metadata");
        mandate.remove("created");
        mandate.put("customer_acceptance", Map.of("accepted_at", 1_764_460_800L, "online",
                Map.of("ip_address", "203.0.113.7", "user_agent", "Mozilla/5.0"), "type", "online"));
        mandate.put("multi_use", Map.of());
        mandate.put("status", "active");
        mandate.put("type", "multi_use");
        if (id.equals("mandate_pm_sepa_debit")) {
            mandate.put("payment_method", "pm_sepa_debit");
            mandate.put("payment_method_details", Map.of("type", "sepa_debit", "sepa_debit",
                    Map.of("reference", "6FHOEDJ8ASHAAGZ2", "url", "https://payments.stripe.com/sepa_debit/mandate/6FHOEDJ8ASHAAGZ2")));
            return mandate;
        }
        if (id.equals("mandate_pm_upi")) {
            mandate.put("payment_method", "pm_upi");
            mandate.put("payment_method_details", Map.of("type", "upi", "upi",
                    Map.of("amount", 500000, "amount_type", "maximum", "description", "Accrue subscription", "end_date", 1_893_456_000L)));
            return mandate;
        }
        return null;
    }

    private static Map<String, Object> error(Card card) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", card.errorCode());
        error.put("decline_code", card.declineCode());
        if (card.adviceCode() != null) {
            error.put("advice_code", card.adviceCode());
        }
        error.put("doc_url", "https://stripe.com/docs/error-codes/" + card.errorCode().replace('_', '-'));
        error.put("message", card.message());
        error.put("type", "card_error");
        return error;
    }

    private static Map<String, Object> billingDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("address", mapOfNulls("city", "country", "line1", "line2", "postal_code", "state"));
        details.put("email", null);
        details.put("name", null);
        details.put("phone", null);
        return details;
    }

    private static Map<String, Object> mapOfNulls(String... keys) {
        Map<String, Object> map = new HashMap<>();
        for (String key : keys) {
            map.put(key, null);
        }
        return map;
    }
}

package dev.accrue.adapters.payment.sandbox;

import dev.accrue.app.payment.gateway.GatewayOutcome;

import java.util.Map;

/**
 * What the sandbox's test instruments do, as in Stripe's test mode so that habits carry over: the card numbers
 * below behave as listed, any other valid card number succeeds. UPI ids {@code success@upi} and
 * {@code failure@upi}; any valid IBAN succeeds except Stripe's failing SEPA test account.
 */
final class SandboxInstruments {
    static final String SUCCEED = "succeed";
    /** Behaviours a verification (attach) already fails on; the others attach and only fail when charged. */
    private static final java.util.Set<String> FAIL_ON_ATTACH = java.util.Set.of("card_declined", "expired_card", "fraudulent", "processing_error");
    static final Map<String, String> CARDS = Map.of(
            "4242424242424242", SUCCEED,
            "5555555555554444", SUCCEED,
            "378282246310005", SUCCEED,
            "4000000000009995", "insufficient_funds",
            "4000000000000002", "card_declined",
            "4000000000000069", "expired_card",
            "4100000000000019", "fraudulent",
            "4000000000000119", "processing_error",
            // Stripe: "attaching this card to a Customer object succeeds, but attempts to charge the customer fail"
            "4000000000000341", "charge_declined");
    static final String FAILING_IBAN = "AT861904300235473202";
    static final java.util.List<String> BEHAVIOURS = java.util.List.of(SUCCEED, "insufficient_funds", "card_declined", "expired_card", "fraudulent",
            "processing_error", "charge_declined", "payment_declined", SandboxInstruments.PROCESSING);
    /**
     * A bank debit whose bank has not answered yet: a charge is accepted as processing, and settles — as the
     * instrument then behaves (simulate "succeed", "insufficient_funds" …) — when it is looked up later.
     */
    static final String PROCESSING = "processing";

    private SandboxInstruments() {
    }

    static boolean failsOnAttach(String behaviour) {
        return FAIL_ON_ATTACH.contains(behaviour);
    }

    /** The answer to charging (or verifying) an instrument that behaves so. */
    static GatewayOutcome outcome(String behaviour, String reference) {
        return switch (behaviour) {
            case SUCCEED -> new GatewayOutcome.Approved(reference);
            case "insufficient_funds" -> new GatewayOutcome.Declined("insufficient_funds", "insufficient_funds", "Your card has insufficient funds.", false);
            case "card_declined", "charge_declined" -> new GatewayOutcome.Declined("card_declined", "generic_decline", "Your card was declined.", false);
            case "expired_card" -> new GatewayOutcome.Declined("expired_card", "expired_card", "Your card has expired.", true);
            case "fraudulent" -> new GatewayOutcome.Declined("fraudulent", "fraudulent", "Your card was declined.", true);
            case "processing_error" -> new GatewayOutcome.Declined("processing_error", "processing_error",
                    "An error occurred while processing your card. Try again in a little bit.", false);
            case "payment_declined" -> new GatewayOutcome.Declined("payment_declined", "payment_declined", "The payment was declined by the payer's bank.", false);
            case PROCESSING -> new GatewayOutcome.Processing(reference, "The debit is processing; the bank answers in a few days");
            default -> throw new IllegalStateException("Unknown sandbox behaviour " + behaviour);
        };
    }
}

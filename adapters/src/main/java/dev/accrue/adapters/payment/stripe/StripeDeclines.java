package dev.accrue.adapters.payment.stripe;

import dev.accrue.app.payment.gateway.GatewayOutcome;

import java.util.Set;

/**
 * The one place a Stripe refusal becomes a {@link GatewayOutcome.Declined}: Accrue's reason, Stripe's decline
 * code, and whether retrying the same method can ever succeed ({@code hard}).
 *
 * <p>Sources: Stripe's decline-code table (docs.stripe.com/declines/codes, "Next steps" column) and its
 * advice codes (docs.stripe.com/declines/card, "Retrying issuer declines"). The rule, in order:
 * <ol>
 *   <li>Stripe's {@code advice_code}, when the issuer sent one, wins: {@code do_not_try_again} and
 *   {@code confirm_card_data} are hard (the issuer says the same card data will not be approved),
 *   {@code try_again_later} is soft.</li>
 *   <li>Otherwise the decline code: hard when Stripe's next step is "use another card / payment method" or
 *   "the customer must fix or re-enter the card" — the card is lost, stolen, picked up, restricted, expired,
 *   mistyped, unsupported, or the network/Radar blocked it as fraud — and for bank debits the account is
 *   closed, missing or the debit unauthorised. Retrying those is useless and counts against the card
 *   networks' excessive-retry rules.</li>
 *   <li>Everything else is soft. In particular {@code do_not_honor} and {@code generic_decline} are soft:
 *   Stripe documents them as issuer declines with no reason given ("the customer needs to contact their card
 *   issuer"), Stripe's own Smart Retries retries them, and Visa/Mastercard class them as "cannot approve at
 *   this time"; {@code insufficient_funds} and {@code processing_error} ("the payment should be attempted
 *   again") are the textbook soft declines.</li>
 *   <li>{@code authentication_required} is hard for Accrue: every Accrue charge is off-session, and Stripe's
 *   next step is that the customer comes back and authenticates, which no automatic retry can do.</li>
 * </ol>
 */
final class StripeDeclines {
    /** Decline codes after which Stripe's next step needs a different method or the customer's action. */
    static final Set<String> HARD = Set.of(
            // the card is gone or blocked: "the customer should use another card" / do not reveal, do not retry
            "stolen_card", "lost_card", "pickup_card", "restricted_card", "fraudulent", "merchant_blacklist",
            "security_violation", "do_not_try_again", "revocation_of_authorization", "revocation_of_all_authorizations",
            "stop_payment_order", "invalid_account", "new_account_information_available",
            // the card data is wrong or the card cannot do this charge: "the customer should try again using correct details"
            "expired_card", "incorrect_number", "invalid_number", "invalid_expiry_month", "invalid_expiry_year",
            "incorrect_cvc", "invalid_cvc", "incorrect_zip", "card_not_supported", "currency_not_supported",
            "transaction_not_allowed", "service_not_allowed", "not_permitted", "testmode_decline",
            // card-present PIN declines never succeed off-session
            "incorrect_pin", "invalid_pin", "offline_pin_required", "online_or_offline_pin_required", "pin_try_exceeded",
            // off-session charge needing the customer's 3-D Secure
            "authentication_required",
            // bank debits (SEPA, BACS, ACH failure codes): the account or the mandate is gone
            "account_closed", "no_account", "debit_not_authorized", "bank_account_restricted", "invalid_account_number",
            "account_frozen", "bank_account_unusable", "unsupported_card");

    static final Set<String> HARD_ADVICE = Set.of("do_not_try_again", "confirm_card_data");

    private StripeDeclines() {
    }

    /**
     * @param errorCode   Stripe's error {@code code} (card_declined, expired_card, incorrect_cvc, processing_error…)
     * @param declineCode Stripe's {@code decline_code}, null when the refusal has none
     * @param adviceCode  Stripe's {@code advice_code}, null when the issuer sent none
     */
    static GatewayOutcome.Declined declined(String errorCode, String declineCode, String adviceCode, String message) {
        String code = errorCode == null ? "card_declined" : errorCode;
        String reason = declineCode == null || declineCode.isBlank() || "generic_decline".equals(declineCode) ? code : declineCode;
        boolean hard;
        if ("try_again_later".equals(adviceCode)) {
            hard = false;
        } else if (adviceCode != null && HARD_ADVICE.contains(adviceCode)) {
            hard = true;
        } else {
            hard = HARD.contains(reason) || HARD.contains(code);
        }
        return new GatewayOutcome.Declined(reason, declineCode, message == null ? "Declined by Stripe (" + reason + ")" : message, hard);
    }
}

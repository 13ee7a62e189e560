package dev.accrue.adapters.payment.stripe;

import dev.accrue.app.payment.gateway.GatewayOutcome;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class StripeDeclinesTest {

    @ParameterizedTest(name = "{0}/{1} advice={2} -> {3} hard={4}")
    @CsvSource(nullValues = "-", value = {
            // code,           decline_code,        advice_code,        Accrue's reason,     hard
            "card_declined,    insufficient_funds,  -,                  insufficient_funds,  false",
            "card_declined,    generic_decline,     -,                  card_declined,       false",
            "card_declined,    -,                   -,                  card_declined,       false",
            "card_declined,    do_not_honor,        -,                  do_not_honor,        false",
            "processing_error, -,                   -,                  processing_error,    false",
            "card_declined,    try_again_later,     -,                  try_again_later,     false",
            "card_declined,    card_velocity_exceeded, -,               card_velocity_exceeded, false",
            "expired_card,     expired_card,        -,                  expired_card,        true",
            "card_declined,    fraudulent,          -,                  fraudulent,          true",
            "card_declined,    stolen_card,         -,                  stolen_card,         true",
            "card_declined,    lost_card,           -,                  lost_card,           true",
            "card_declined,    pickup_card,         -,                  pickup_card,         true",
            "card_declined,    restricted_card,     -,                  restricted_card,     true",
            "incorrect_number, incorrect_number,    -,                  incorrect_number,    true",
            "card_declined,    card_not_supported,  -,                  card_not_supported,  true",
            "incorrect_cvc,    -,                   -,                  incorrect_cvc,       true",
            "authentication_required, authentication_required, -,      authentication_required, true",
            // the issuer's advice wins over the code's default, both ways
            "card_declined,    do_not_honor,        do_not_try_again,   do_not_honor,        true",
            "card_declined,    generic_decline,     confirm_card_data,  card_declined,       true",
            "card_declined,    expired_card,        try_again_later,    expired_card,        false",
            // bank debits
            "payment_method_provider_decline, account_closed, -,        account_closed,      true",
            "payment_method_provider_decline, insufficient_funds, -,    insufficient_funds,  false",
    })
    void mapsStripesCodesToAccruesReasonAndHardness(String code, String declineCode, String advice, String reason, boolean hard) {
        GatewayOutcome.Declined declined = StripeDeclines.declined(code, declineCode, advice, "Your card was declined.");
        assertThat(declined.code()).isEqualTo(reason);
        assertThat(declined.declineCode()).isEqualTo(declineCode);
        assertThat(declined.hard()).isEqualTo(hard);
        assertThat(declined.message()).isEqualTo("Your card was declined.");
    }
}

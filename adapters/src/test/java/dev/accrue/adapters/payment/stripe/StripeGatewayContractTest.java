package dev.accrue.adapters.payment.stripe;

import dev.accrue.adapters.payment.PaymentGatewayContract;
import dev.accrue.app.payment.gateway.PaymentGateway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Clock;

/** The shared gateway contract, run against the Stripe adapter talking to {@link LocalStripe}. */
class StripeGatewayContractTest extends PaymentGatewayContract {
    private static LocalStripe stripe;
    private static StripeGateway gateway;

    @BeforeAll
    static void start() {
        stripe = new LocalStripe();
        gateway = new StripeGateway(new StripeSettings(LocalStripe.API_KEY, "whsec_contract", stripe.apiBase()), Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        stripe.close();
    }

    @Override
    protected PaymentGateway gateway() {
        return gateway;
    }

    /** Stripe's test PaymentMethods for its test card numbers (docs.stripe.com/testing). */
    @Override
    protected String token(TestCard card, String gatewayCustomer) {
        return switch (card) {
            case VISA -> "pm_card_visa";
            case INSUFFICIENT_FUNDS -> "pm_card_visa_chargeDeclinedInsufficientFunds";
            case GENERIC_DECLINE -> "pm_card_visa_chargeDeclined";
            case EXPIRED -> "pm_card_chargeDeclinedExpiredCard";
            case FRAUD -> "pm_card_radarBlock";
            case PROCESSING_ERROR -> "pm_card_chargeDeclinedProcessingError";
        };
    }
}

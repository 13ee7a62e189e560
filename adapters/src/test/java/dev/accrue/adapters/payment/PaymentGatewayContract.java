package dev.accrue.adapters.payment;

import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.GatewayRefund;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link PaymentGateway} must do, whatever is behind it. A gateway's test extends this class and
 * says how to reach the gateway and which of its tokens behaves like each of Stripe's test cards; the sandbox
 * and the Stripe adapter run the same checks, so collection can rely on one behaviour.
 */
public abstract class PaymentGatewayContract {

    /** The test cards every gateway offers (Stripe's test numbers; the sandbox accepts the same). */
    public enum TestCard {
        /** 4242 4242 4242 4242: succeeds. */
        VISA(null, null, false),
        /** 4000 0000 0000 9995. */
        INSUFFICIENT_FUNDS("insufficient_funds", "insufficient_funds", false),
        /** 4000 0000 0000 0002: an issuer decline without a reason. */
        GENERIC_DECLINE("card_declined", "generic_decline", false),
        /** 4000 0000 0000 0069. */
        EXPIRED("expired_card", "expired_card", true),
        /** 4100 0000 0000 0019: blocked as fraud. */
        FRAUD("fraudulent", "fraudulent", true),
        /** 4000 0000 0000 0119: the processor failed; worth trying again. */
        PROCESSING_ERROR("processing_error", "processing_error", false);

        public final String code;
        public final String declineCode;
        public final boolean hard;

        TestCard(String code, String declineCode, boolean hard) {
            this.code = code;
            this.declineCode = declineCode;
            this.hard = hard;
        }
    }

    protected abstract PaymentGateway gateway();

    /** A token for {@code card} that {@link PaymentGateway#charge} accepts for {@code gatewayCustomer}. */
    protected abstract String token(TestCard card, String gatewayCustomer);

    protected String customer() {
        return gateway().createCustomer("cus_" + UUID.randomUUID(), "billing@example.com", "Contract Co", key());
    }

    protected static String key() {
        return "contract-" + UUID.randomUUID();
    }

    @Test
    void approvesAChargeAndNamesIt() {
        String customer = customer();
        GatewayOutcome outcome = gateway().charge(new GatewayCharge(token(TestCard.VISA, customer), customer, Money.of("49.90", "EUR"),
                "Invoice INV-1", key()));
        assertThat(outcome).isInstanceOfSatisfying(GatewayOutcome.Approved.class, approved -> assertThat(approved.reference()).isNotBlank());
    }

    @Test
    void aRepeatedKeyGetsTheFirstAnswerAndChargesOnce() {
        String customer = customer();
        GatewayCharge charge = new GatewayCharge(token(TestCard.VISA, customer), customer, Money.of("12.00", "USD"), "Invoice INV-2", key());
        GatewayOutcome first = gateway().charge(charge);
        GatewayOutcome again = gateway().charge(charge);
        GatewayOutcome other = gateway().charge(new GatewayCharge(charge.token(), customer, charge.amount(), charge.description(), key()));
        assertThat(first).isInstanceOf(GatewayOutcome.Approved.class);
        assertThat(again).isEqualTo(first);
        assertThat(((GatewayOutcome.Approved) other).reference()).isNotEqualTo(((GatewayOutcome.Approved) first).reference());
    }

    @Test
    void aRepeatedKeyRepeatsADeclineToo() {
        String customer = customer();
        GatewayCharge charge = new GatewayCharge(token(TestCard.INSUFFICIENT_FUNDS, customer), customer, Money.of("12.00", "USD"), null, key());
        assertThat(gateway().charge(charge)).isEqualTo(gateway().charge(charge));
    }

    @ParameterizedTest
    @EnumSource(value = TestCard.class, names = "VISA", mode = EnumSource.Mode.EXCLUDE)
    void declinesCarryAccruesReasonTheGatewaysCodeAndWhetherRetryingCanHelp(TestCard card) {
        String customer = customer();
        GatewayOutcome outcome = gateway().charge(new GatewayCharge(token(card, customer), customer, Money.of("30.00", "USD"), null, key()));
        assertThat(outcome).isInstanceOfSatisfying(GatewayOutcome.Declined.class, declined -> {
            assertThat(declined.code()).isEqualTo(card.code);
            assertThat(declined.declineCode()).isEqualTo(card.declineCode);
            assertThat(declined.hard()).as("hard").isEqualTo(card.hard);
            assertThat(declined.message()).isNotBlank();
        });
    }

    @Test
    void refundsPartOfAChargeOnceAndRefusesMoreThanWasCharged() {
        String customer = customer();
        GatewayOutcome.Approved charged = (GatewayOutcome.Approved) gateway().charge(new GatewayCharge(token(TestCard.VISA, customer), customer,
                Money.of("100.00", "EUR"), null, key()));
        GatewayRefund part = new GatewayRefund(charged.reference(), Money.of("40.00", "EUR"), "requested_by_customer", key());
        GatewayOutcome refunded = gateway().refund(part);
        assertThat(refunded).isInstanceOf(GatewayOutcome.Approved.class);
        assertThat(gateway().refund(part)).as("same key, same refund").isEqualTo(refunded);

        GatewayOutcome tooMuch = gateway().refund(new GatewayRefund(charged.reference(), Money.of("60.01", "EUR"), null, key()));
        assertThat(tooMuch).isInstanceOf(GatewayOutcome.Declined.class);
        assertThat(gateway().refund(new GatewayRefund(charged.reference(), Money.of("60.00", "EUR"), null, key())))
                .as("the rest still refunds").isInstanceOf(GatewayOutcome.Approved.class);
    }

    @Test
    void attachingAGoodCardDescribesItWithoutItsNumber() {
        String customer = customer();
        var attachment = gateway().attach(token(TestCard.VISA, customer), customer, key());
        assertThat(attachment.outcome()).isInstanceOf(GatewayOutcome.Approved.class);
        assertThat(attachment.method().kind()).isEqualTo("card");
        assertThat(attachment.method().brand()).isEqualTo("visa");
        assertThat(attachment.method().last4()).isEqualTo("4242");
        assertThat(attachment.method().expMonth()).isBetween(1, 12);
        assertThat(attachment.method().expYear()).isGreaterThan(2000);
    }

    @Test
    void attachingACardThatFailsVerificationDescribesNothing() {
        String customer = customer();
        var attachment = gateway().attach(token(TestCard.EXPIRED, customer), customer, key());
        assertThat(attachment.outcome()).isInstanceOfSatisfying(GatewayOutcome.Declined.class,
                declined -> assertThat(declined.code()).isEqualTo("expired_card"));
        assertThat(attachment.method()).isNull();
    }
}

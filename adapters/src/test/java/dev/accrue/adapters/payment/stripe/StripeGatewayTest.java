package dev.accrue.adapters.payment.stripe;

import com.stripe.Stripe;
import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.GatewayRefund;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Stripe adapter against {@link LocalStripe}: what it sends, and what it makes of each kind of answer. */
class StripeGatewayTest {
    private LocalStripe stripe;
    private StripeGateway gateway;

    @BeforeEach
    void start() {
        stripe = new LocalStripe();
        gateway = new StripeGateway(new StripeSettings(LocalStripe.API_KEY, "whsec_test", stripe.apiBase()), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        stripe.close();
    }

    private static String key() {
        return "pay_" + UUID.randomUUID();
    }

    @Test
    void aChargeIsOneConfirmedOffSessionPaymentIntentUnderTheCallersKey() {
        String key = key();
        GatewayOutcome outcome = gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("49.90", "EUR"), "Invoice INV-7", key));

        assertThat(outcome).isInstanceOf(GatewayOutcome.Approved.class);
        var requests = stripe.seenWithKey(key);
        assertThat(requests).hasSize(1);
        var sent = requests.getFirst();
        assertThat(sent.path()).isEqualTo("/v1/payment_intents");
        assertThat(sent.params())
                .containsEntry("amount", "4990")
                .containsEntry("currency", "eur")
                .containsEntry("customer", "cus_A")
                .containsEntry("payment_method", "pm_card_visa")
                .containsEntry("confirm", "true")
                .containsEntry("off_session", "true")
                .containsEntry("automatic_payment_methods[allow_redirects]", "never")
                .containsEntry("description", "Invoice INV-7");
        assertThat(((GatewayOutcome.Approved) outcome).reference()).startsWith("pi_");
    }

    @Test
    void amountsAreInStripesSmallestUnitAndNeverRounded() {
        gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("1500", "JPY"), null, "k-jpy"));
        gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("12.340", "KWD"), null, "k-kwd"));
        gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("100", "ISK"), null, "k-isk"));
        assertThat(stripe.seenWithKey("k-jpy").getFirst().params()).containsEntry("amount", "1500").containsEntry("currency", "jpy");
        assertThat(stripe.seenWithKey("k-kwd").getFirst().params()).containsEntry("amount", "12340");
        assertThat(stripe.seenWithKey("k-isk").getFirst().params()).as("Stripe keeps ISK two-decimal").containsEntry("amount", "10000");

        int before = stripe.seen().size();
        assertThatThrownBy(() -> gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("10.005", "EUR"), null, key())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("smallest unit");
        assertThat(stripe.seen()).as("nothing sent").hasSize(before);
    }

    @Test
    void aDroppedConnectionIsUnreachableAndTheRetryWithTheSameKeyGetsTheStoredAnswer() {
        String key = key();
        GatewayCharge charge = new GatewayCharge("pm_card_visa", "cus_A", Money.of("20.00", "USD"), null, key);
        stripe.fail(LocalStripe.Fault.DROP_AFTER_EXECUTING);

        GatewayOutcome first = gateway.charge(charge);
        assertThat(first).isInstanceOfSatisfying(GatewayOutcome.Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("same idempotency key"));
        assertThat(stripe.seenWithKey(key)).as("stripe-java does not retry by itself").hasSize(1);
        assertThat(stripe.paymentIntentsCreated()).as("Stripe did charge").isEqualTo(1);

        GatewayOutcome retried = gateway.charge(charge);
        assertThat(retried).isInstanceOf(GatewayOutcome.Approved.class);
        var requests = stripe.seenWithKey(key);
        assertThat(requests).hasSize(2);
        assertThat(requests.get(1).replayed()).as("answered from Stripe's idempotency store").isTrue();
        assertThat(stripe.paymentIntentsCreated()).as("charged once").isEqualTo(1);
    }

    @Test
    void aChargeWhoseAnswerWasLostIsFoundByItsAttemptWithoutChargingAgain() {
        String key = key();
        GatewayCharge charge = new GatewayCharge("pm_card_visa", "cus_L", Money.of("20.00", "USD"), null, key);
        gateway.charge(new GatewayCharge("pm_card_visa", "cus_L", Money.of("5.00", "USD"), null, key()));
        stripe.fail(LocalStripe.Fault.DROP_AFTER_EXECUTING);
        assertThat(gateway.charge(charge)).isInstanceOf(GatewayOutcome.Unreachable.class);
        int created = stripe.paymentIntentsCreated();

        GatewayOutcome found = gateway.lookup(charge, null);

        assertThat(found).isInstanceOf(GatewayOutcome.Approved.class);
        String intent = ((GatewayOutcome.Approved) found).reference();
        assertThat(stripe.paymentIntents()).filteredOn(pi -> pi.get("id").equals(intent)).singleElement()
                .satisfies(pi -> assertThat(pi.get("metadata").toString()).contains(key));
        assertThat(stripe.paymentIntentsCreated()).as("a lookup creates nothing").isEqualTo(created);
        assertThat(stripe.seen().getLast()).satisfies(last -> {
            assertThat(last.method()).isEqualTo("GET");
            assertThat(last.idempotencyKey()).isNull();
            assertThat(last.params()).containsEntry("customer", "cus_L");
        });
    }

    @Test
    void aChargeStripeNeverCreatedIsNotFoundByItsAttempt() {
        String key = key();
        GatewayCharge charge = new GatewayCharge("pm_card_visa", "cus_N", Money.of("20.00", "USD"), null, key);
        stripe.fail(LocalStripe.Fault.SERVER_ERROR);
        assertThat(gateway.charge(charge)).isInstanceOf(GatewayOutcome.Unreachable.class);

        assertThat(gateway.lookup(charge, null)).isInstanceOf(GatewayOutcome.NotFound.class);
        assertThat(stripe.paymentIntentsCreated()).isZero();
    }

    @Test
    void aProcessingDebitIsAskedAboutByItsPaymentIntentUntilTheBankAnswers() {
        GatewayCharge charge = new GatewayCharge("pm_sepa_debit", "cus_S", Money.of("30.00", "EUR"), null, key());
        GatewayOutcome sent = gateway.charge(charge);
        assertThat(sent).isInstanceOf(GatewayOutcome.Processing.class);
        String intent = ((GatewayOutcome.Processing) sent).reference();

        assertThat(gateway.lookup(charge, intent)).isInstanceOf(GatewayOutcome.Processing.class);
        stripe.settleDebit(intent, true);
        assertThat(gateway.lookup(charge, intent)).isEqualTo(new GatewayOutcome.Approved(intent));
        assertThat(gateway.lookup(charge, "pi_unknown")).isInstanceOf(GatewayOutcome.NotFound.class);
        assertThat(stripe.paymentIntentsCreated()).isEqualTo(1);
    }

    @Test
    void aDebitTheBankRefusedIsADeclineWhenAskedAbout() {
        GatewayCharge charge = new GatewayCharge("pm_sepa_debit", "cus_S", Money.of("30.00", "EUR"), null, key());
        String intent = ((GatewayOutcome.Processing) gateway.charge(charge)).reference();
        stripe.settleDebit(intent, false);
        assertThat(gateway.lookup(charge, intent)).isInstanceOfSatisfying(GatewayOutcome.Declined.class,
                declined -> assertThat(declined.code()).isEqualTo("insufficient_funds"));
    }

    @Test
    void aRateLimitIsUnreachableAndNothingWasDone() {
        String key = key();
        GatewayCharge charge = new GatewayCharge("pm_card_visa", "cus_A", Money.of("20.00", "USD"), null, key);
        stripe.fail(LocalStripe.Fault.RATE_LIMIT);

        assertThat(gateway.charge(charge)).isInstanceOfSatisfying(GatewayOutcome.Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("429"));
        assertThat(stripe.seenWithKey(key)).singleElement().satisfies(seen -> assertThat(seen.status()).isEqualTo(429));
        assertThat(stripe.paymentIntentsCreated()).isZero();

        assertThat(gateway.charge(charge)).isInstanceOf(GatewayOutcome.Approved.class);
        assertThat(stripe.seenWithKey(key).get(1).replayed()).as("a 429 stores nothing: the retry executes").isFalse();
        assertThat(stripe.paymentIntentsCreated()).isEqualTo(1);
    }

    @Test
    void aServerErrorIsUnreachableAndStripeReplaysItForTheSameKey() {
        String key = key();
        GatewayCharge charge = new GatewayCharge("pm_card_visa", "cus_A", Money.of("20.00", "USD"), null, key);
        stripe.fail(LocalStripe.Fault.SERVER_ERROR);

        assertThat(gateway.charge(charge)).isInstanceOfSatisfying(GatewayOutcome.Unreachable.class,
                unreachable -> assertThat(unreachable.message()).contains("500"));
        // Stripe stores a 500 under its key like any other answer: the retry sees it again, never a second charge;
        // the payment_intent.* webhook is what settles such an attempt
        assertThat(gateway.charge(charge)).isInstanceOf(GatewayOutcome.Unreachable.class);
        assertThat(stripe.seenWithKey(key).get(1).replayed()).isTrue();
    }

    @Test
    void aKeyReusedForADifferentChargeIsTheCallersBugNotADecline() {
        String key = key();
        gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("20.00", "USD"), null, key));
        assertThatThrownBy(() -> gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("21.00", "USD"), null, key)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("different parameters");
        assertThat(stripe.paymentIntentsCreated()).isEqualTo(1);
    }

    @Test
    void theIssuersAdviceNotToRetryMakesADoNotHonorHard() {
        GatewayOutcome outcome = gateway.charge(new GatewayCharge("pm_card_doNotHonorDoNotRetry", "cus_A", Money.of("5.00", "USD"), null, key()));
        assertThat(outcome).isEqualTo(new GatewayOutcome.Declined("do_not_honor", "do_not_honor", "Your card was declined.", true));
    }

    @Test
    void lostAndStolenCardsAreHardDeclines() {
        for (String pm : new String[] {"pm_card_visa_chargeDeclinedLostCard", "pm_card_visa_chargeDeclinedStolenCard"}) {
            GatewayOutcome outcome = gateway.charge(new GatewayCharge(pm, "cus_A", Money.of("5.00", "USD"), null, key()));
            assertThat(outcome).isInstanceOfSatisfying(GatewayOutcome.Declined.class, declined -> assertThat(declined.hard()).isTrue());
        }
    }

    @Test
    void aMethodStripeNoLongerKnowsIsAHardDecline() {
        GatewayOutcome outcome = gateway.charge(new GatewayCharge("pm_gone", "cus_A", Money.of("5.00", "USD"), null, key()));
        assertThat(outcome).isInstanceOfSatisfying(GatewayOutcome.Declined.class, declined -> {
            assertThat(declined.code()).isEqualTo("resource_missing");
            assertThat(declined.hard()).isTrue();
        });
    }

    @Test
    void aCustomerIsCreatedOncePerKey() {
        String key = key();
        String first = gateway.createCustomer("cus_01ACCRUE", "ada@example.com", "Ada", key);
        String again = gateway.createCustomer("cus_01ACCRUE", "ada@example.com", "Ada", key);
        assertThat(again).isEqualTo(first).startsWith("cus_");
        assertThat(stripe.seenWithKey(key).getFirst().params()).containsEntry("metadata[accrue_customer_id]", "cus_01ACCRUE")
                .containsEntry("email", "ada@example.com");
        assertThat(stripe.seenWithKey(key).get(1).replayed()).isTrue();
    }

    @Test
    void attachingACardVerifiesItOffSessionWithASetupIntent() {
        String key = key();
        var attachment = gateway.attach("pm_card_mastercard", "cus_A", key);

        assertThat(attachment.outcome()).isInstanceOfSatisfying(GatewayOutcome.Approved.class,
                approved -> assertThat(approved.reference()).startsWith("seti_"));
        assertThat(attachment.method()).satisfies(method -> {
            assertThat(method.token()).isEqualTo("pm_card_mastercard");
            assertThat(method.kind()).isEqualTo("card");
            assertThat(method.brand()).isEqualTo("mastercard");
            assertThat(method.last4()).isEqualTo("4444");
            assertThat(method.expMonth()).isEqualTo(8);
            assertThat(method.expYear()).isEqualTo(2031);
        });
        assertThat(stripe.seenWithKey(key + ":attach").getFirst().path()).isEqualTo("/v1/payment_methods/pm_card_mastercard/attach");
        assertThat(stripe.seenWithKey(key + ":verify").getFirst().params())
                .containsEntry("customer", "cus_A").containsEntry("payment_method", "pm_card_mastercard")
                .containsEntry("confirm", "true").containsEntry("usage", "off_session");
    }

    @Test
    void aCardFailingVerificationIsDetachedAgain() {
        var attachment = gateway.attach("pm_card_visa_chargeDeclinedInsufficientFunds", "cus_A", key());
        assertThat(attachment.outcome()).isInstanceOfSatisfying(GatewayOutcome.Declined.class, declined -> {
            assertThat(declined.code()).isEqualTo("insufficient_funds");
            assertThat(declined.hard()).isFalse();
        });
        assertThat(attachment.method()).isNull();
        assertThat(stripe.seen()).anySatisfy(seen -> assertThat(seen.path())
                .isEqualTo("/v1/payment_methods/pm_card_visa_chargeDeclinedInsufficientFunds/detach"));
    }

    @Test
    void sepaDebitComesAsTheCustomersConfirmedSetupIntentWithItsMandateReference() {
        String setup = stripe.confirmedSetup("cus_A", "pm_sepa_debit");
        var attachment = gateway.attach(setup, "cus_A", key());
        assertThat(attachment.outcome()).isEqualTo(new GatewayOutcome.Approved(setup));
        assertThat(attachment.method()).satisfies(method -> {
            assertThat(method.kind()).isEqualTo("bank_account");
            assertThat(method.brand()).isEqualTo("sepa_debit");
            assertThat(method.last4()).isEqualTo("3000");
            assertThat(method.mandateReference()).isEqualTo("6FHOEDJ8ASHAAGZ2");
            assertThat(method.expMonth()).isNull();
        });
    }

    @Test
    void upiShowsTheProviderAndOnlyTheEndOfThePayersId() {
        String setup = stripe.confirmedSetup("cus_A", "pm_upi");
        var attachment = gateway.attach(setup, "cus_A", key());
        assertThat(attachment.method()).satisfies(method -> {
            assertThat(method.kind()).isEqualTo("upi");
            assertThat(method.brand()).isEqualTo("okhdfcbank");
            assertThat(method.last4()).isEqualTo("umar");
            assertThat(method.mandateReference()).isEqualTo("mandate_pm_upi");
        });
    }

    @Test
    void aBankDebitWithoutTheCustomersMandateIsRefusedAndDetached() {
        var attachment = gateway.attach("pm_sepa_debit", "cus_A", key());
        assertThat(attachment.outcome()).isInstanceOfSatisfying(GatewayOutcome.Declined.class,
                declined -> assertThat(declined.code()).isEqualTo("setup_intent_required"));
        assertThat(stripe.seen()).anySatisfy(seen -> assertThat(seen.path()).isEqualTo("/v1/payment_methods/pm_sepa_debit/detach"));
    }

    @Test
    void anotherCustomersSetupIntentIsRefused() {
        String setup = stripe.confirmedSetup("cus_OTHER", "pm_sepa_debit");
        assertThatThrownBy(() -> gateway.attach(setup, "cus_A", key())).isInstanceOfSatisfying(AccrueException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN)).hasMessageContaining("another Stripe customer");
    }

    @Test
    void detachingTwiceIsFine() {
        gateway.attach("pm_card_visa", "cus_A", key());
        gateway.detach("pm_card_visa");
        gateway.detach("pm_card_visa");
        assertThat(stripe.seen().stream().filter(seen -> seen.path().endsWith("/detach")).toList()).hasSize(2);
    }

    @Test
    void aRefundNamesThePaymentIntentAndStripesReason() {
        var charged = (GatewayOutcome.Approved) gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("10.00", "EUR"), null, key()));
        String key = key();
        GatewayOutcome refunded = gateway.refund(new GatewayRefund(charged.reference(), Money.of("2.50", "EUR"), "duplicate", key));
        assertThat(refunded).isInstanceOfSatisfying(GatewayOutcome.Approved.class, approved -> assertThat(approved.reference()).startsWith("re_"));
        assertThat(stripe.seenWithKey(key).getFirst().params()).containsEntry("payment_intent", charged.reference())
                .containsEntry("amount", "250").containsEntry("reason", "duplicate");

        GatewayOutcome tooMuch = gateway.refund(new GatewayRefund(charged.reference(), Money.of("7.51", "EUR"), "credit_note", key()));
        assertThat(tooMuch).isInstanceOfSatisfying(GatewayOutcome.Declined.class, declined -> {
            assertThat(declined.code()).isEqualTo("amount_too_large");
            assertThat(declined.hard()).isTrue();
        });
    }

    @Test
    void aRefusedApiKeyIsAnInstallationFaultNotADecline() {
        StripeGateway wrongKey = new StripeGateway(new StripeSettings("sk_test_wrongwrongwrongwrong1234", "whsec_x", stripe.apiBase()),
                Clock.systemUTC());
        assertThatThrownBy(() -> wrongKey.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("5.00", "USD"), null, key())))
                .isInstanceOf(StripeCallFailed.class)
                .hasMessageNotContaining("wrongwrongwrong");
        assertThatThrownBy(() -> wrongKey.createCustomer("cus_1", "a@example.com", "A", key()))
                .isInstanceOfSatisfying(StripeCallFailed.class, failed -> assertThat(failed.retryable()).isFalse());
    }

    @Test
    void everyCreatingCallCarriesAKeyAndThePinnedApiVersionAndNoGlobalKeyIsSet() {
        gateway.createCustomer("cus_1", "a@example.com", "A", key());
        gateway.attach("pm_card_visa", "cus_A", key());
        var charged = (GatewayOutcome.Approved) gateway.charge(new GatewayCharge("pm_card_visa", "cus_A", Money.of("10.00", "EUR"), null, key()));
        gateway.refund(new GatewayRefund(charged.reference(), Money.of("1.00", "EUR"), null, key()));

        assertThat(stripe.seen()).hasSize(5).allSatisfy(seen -> {
            assertThat(seen.idempotencyKey()).as(seen.path()).isNotBlank();
            assertThat(seen.stripeVersion()).isEqualTo(Stripe.API_VERSION);
        });
        assertThat(Stripe.apiKey).as("the per-instance client never touches the library's global key").isNull();
    }

    @Test
    void noSecretShowsInTheGatewaysDescription() {
        StripeSettings settings = new StripeSettings("sk_live_51AbCdEfGhIjKlMnOpQrStUv9876", "whsec_AbCdEfGhIjKlMnOp4321", stripe.apiBase());
        String shown = new StripeGateway(settings, Clock.systemUTC()).toString();
        assertThat(shown).doesNotContain("AbCdEfGh").contains("sk_live_…9876").contains("whsec_…4321");
    }

    @Test
    void aBrowserSetupIsOpenedUnconfirmedForOffSessionUseAndAttachesOnceStripeJsConfirmedIt() {
        var setup = gateway.begin("cus_A", "setup-key-1");
        assertThat(setup.id()).startsWith("seti_");
        assertThat(setup.clientSecret()).startsWith(setup.id() + "_secret_");
        assertThat(stripe.seenWithKey("setup-key-1").getFirst().params()).containsEntry("customer", "cus_A").containsEntry("usage", "off_session")
                .containsEntry("automatic_payment_methods[enabled]", "true").doesNotContainKey("confirm").doesNotContainKey("payment_method");
        assertThat(gateway.begin("cus_A", "setup-key-1").id()).as("the same key is the same SetupIntent").isEqualTo(setup.id());
        // not confirmed in the browser yet: nothing to attach
        assertThat(gateway.attach(setup.id(), "cus_A", key()).outcome()).isInstanceOf(GatewayOutcome.Declined.class);
        stripe.confirmInBrowser(setup.id(), "pm_card_visa");
        var attachment = gateway.attach(setup.id(), "cus_A", key());
        assertThat(attachment.outcome()).isEqualTo(new GatewayOutcome.Approved(setup.id()));
        assertThat(attachment.method()).satisfies(method -> {
            assertThat(method.kind()).isEqualTo("card");
            assertThat(method.last4()).isEqualTo("4242");
            assertThat(method.mandateReference()).isNull();
        });
        // a setup opened for another customer never attaches here
        var other = gateway.begin("cus_OTHER", "setup-key-2");
        stripe.confirmInBrowser(other.id(), "pm_card_visa");
        assertThatThrownBy(() -> gateway.attach(other.id(), "cus_A", key())).hasMessageContaining("another Stripe customer");
    }

    @Test
    void aSepaDebitSetupAsksForSepaOnlyAndKeepsTheMandateReferenceAndLastFourNeverTheIban() {
        var setup = gateway.beginSepaDebit("cus_S", "sepa-setup-1");
        assertThat(setup.clientSecret()).startsWith(setup.id() + "_secret_");
        var sent = stripe.seenWithKey("sepa-setup-1").getFirst();
        assertThat(sent.path()).isEqualTo("/v1/setup_intents");
        assertThat(sent.params()).containsEntry("customer", "cus_S").containsEntry("usage", "off_session")
                .containsEntry("payment_method_types[0]", "sepa_debit").doesNotContainKey("automatic_payment_methods[enabled]")
                .doesNotContainKey("confirm").doesNotContainKey("payment_method");
        assertThat(gateway.beginSepaDebit("cus_S", "sepa-setup-1").id()).as("the same key is the same SetupIntent").isEqualTo(setup.id());
        // the account holder accepted the mandate in the browser (stripe.confirmSepaDebitSetup): Accrue reads it back
        stripe.confirmInBrowser(setup.id(), "pm_sepa_debit");
        var attachment = gateway.attach(setup.id(), "cus_S", key());
        assertThat(attachment.outcome()).isEqualTo(new GatewayOutcome.Approved(setup.id()));
        assertThat(attachment.method()).satisfies(method -> {
            assertThat(method.kind()).isEqualTo("bank_account");
            assertThat(method.brand()).isEqualTo("sepa_debit");
            assertThat(method.last4()).hasSize(4);
            assertThat(method.mandateReference()).isNotBlank();
            assertThat(method.token()).startsWith("pm_");
        });
    }
}

package dev.accrue.adapters.payment.stripe;

import com.stripe.StripeClient;
import com.stripe.exception.ApiConnectionException;
import com.stripe.exception.ApiException;
import com.stripe.exception.CardException;
import com.stripe.exception.IdempotencyException;
import com.stripe.exception.InvalidRequestException;
import com.stripe.exception.RateLimitException;
import com.stripe.exception.StripeException;
import com.stripe.model.Mandate;
import com.stripe.model.PaymentIntent;
import com.stripe.model.PaymentMethod;
import com.stripe.model.Refund;
import com.stripe.model.SetupIntent;
import com.stripe.model.StripeCollection;
import com.stripe.model.StripeError;
import com.stripe.net.RequestOptions;
import com.stripe.param.CustomerCreateParams;
import com.stripe.param.PaymentIntentCreateParams;
import com.stripe.param.PaymentIntentListParams;
import com.stripe.param.PaymentMethodAttachParams;
import com.stripe.param.RefundCreateParams;
import com.stripe.param.SetupIntentCreateParams;
import dev.accrue.app.payment.gateway.BrowserSetups;
import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayEvent;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.GatewayRefund;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * Stripe behind Accrue's {@link PaymentGateway} port, through stripe-java's {@link StripeClient}: one client per
 * instance (never the library's static global key), pointed at {@link StripeSettings#apiBase()}.
 *
 * <p><b>Idempotency is ours.</b> stripe-java's own network retries are switched off
 * ({@code setMaxNetworkRetries(0)}): when it retries it invents keys of its own for calls that have none, and
 * it would hide an unknown outcome from the caller. Every call that creates something sends the caller's key
 * as {@code Idempotency-Key} (suffixed per step when one port call makes two Stripe calls), so a retry after
 * {@link GatewayOutcome.Unreachable} is answered by Stripe with the first request's stored result. The
 * transport ({@link NoRetryHttpClient}) sends each request once: the JDK's default one resends POSTs by itself.
 *
 * <p>Outcomes: a {@code card_error} (HTTP 402) becomes {@link GatewayOutcome.Declined} through
 * {@link StripeDeclines}; rate limiting (429), no connection or no answer, Stripe's 5xx and 409 (a request with
 * the same key still running) become {@link GatewayOutcome.Unreachable}; a request Stripe refuses as invalid
 * (a detached method, a refund above what remains) is a hard {@link GatewayOutcome.Declined} with Stripe's
 * error code, since repeating it cannot succeed. A bad API key or a key reused with other parameters is a
 * fault of the installation or of the caller, not of the customer's card: it throws.
 */
public final class StripeGateway implements PaymentGateway, BrowserSetups {
    /** Method types whose verification needs the customer's own acceptance in Stripe's form (a mandate). */
    private static final Set<String> NEEDS_CLIENT_SETUP = Set.of("sepa_debit", "bacs_debit", "us_bank_account", "upi");

    private final StripeClient client;
    private final StripeSettings settings;
    private final StripeEvents events;

    public StripeGateway(StripeSettings settings, Clock clock) {
        this.settings = settings;
        this.client = StripeClient.builder()
                .setApiKey(settings.secretKey())
                .setApiBase(settings.apiBase())
                .setMaxNetworkRetries(0)
                .setHttpClient(new NoRetryHttpClient(settings.connectTimeout(), settings.readTimeout()))
                .build();
        this.events = new StripeEvents(settings.webhookSecret(), settings.webhookTolerance(), clock);
    }

    @Override
    public String name() {
        return "stripe";
    }

    @Override
    public String createCustomer(String accrueCustomerId, String email, String name, String idempotencyKey) {
        CustomerCreateParams params = CustomerCreateParams.builder()
                .setEmail(email)
                .setName(name)
                .putMetadata("accrue_customer_id", accrueCustomerId)
                .build();
        try {
            return client.v1().customers().create(params, key(idempotencyKey)).getId();
        } catch (StripeException e) {
            throw new StripeCallFailed("creating the Stripe customer for " + accrueCustomerId, e, retryable(e));
        }
    }

    /**
     * A {@code pm_…} card token is attached to the customer, then verified with a SetupIntent confirmed
     * off-session (Stripe's own setup check, which is how Stripe asks the issuer to approve future
     * merchant-initiated charges). A method that fails verification is detached again. A {@code seti_…} token
     * is a SetupIntent the customer already confirmed in Stripe's form: the way SEPA, BACS and US bank debits
     * and UPI collect the mandate the customer accepts there; it is read back and must belong to this customer.
     */
    @Override
    public Attachment attach(String token, String gatewayCustomer, String idempotencyKey) {
        try {
            if (token.startsWith("seti_")) {
                return confirmedSetup(token, gatewayCustomer);
            }
            PaymentMethod pm = client.v1().paymentMethods()
                    .attach(token, PaymentMethodAttachParams.builder().setCustomer(gatewayCustomer).build(), key(idempotencyKey + ":attach"));
            if (NEEDS_CLIENT_SETUP.contains(pm.getType())) {
                detachQuietly(pm.getId());
                return new Attachment(new GatewayOutcome.Declined("setup_intent_required", null, "A " + pm.getType()
                        + " method needs the mandate the customer accepts in Stripe's form: attach the confirmed SetupIntent (seti_…)", true), null);
            }
            SetupIntent setup = client.v1().setupIntents().create(SetupIntentCreateParams.builder()
                    .setCustomer(gatewayCustomer)
                    .setPaymentMethod(pm.getId())
                    .addPaymentMethodType(pm.getType())
                    .setUsage(SetupIntentCreateParams.Usage.OFF_SESSION)
                    .setConfirm(true)
                    .build(), key(idempotencyKey + ":verify"));
            GatewayOutcome outcome = setupOutcome(setup);
            if (outcome instanceof GatewayOutcome.Approved) {
                return new Attachment(outcome, StripeMethods.describe(pm, null));
            }
            detachQuietly(pm.getId());
            return new Attachment(outcome, null);
        } catch (CardException e) {
            detachQuietly(token);
            return new Attachment(failure(e), null);
        } catch (StripeException e) {
            return new Attachment(failure(e), null);
        }
    }

    /**
     * An unconfirmed SetupIntent for off-session use, on the customer, for the payment method types enabled in the
     * Stripe dashboard ({@code automatic_payment_methods}); Stripe Elements confirms it in the browser with the
     * client secret (3-D Secure or the mandate happen there), and {@link #attach} then reads the confirmed {@code seti_…}.
     */
    @Override
    public BrowserSetups.Setup begin(String gatewayCustomer, String idempotencyKey) {
        try {
            SetupIntent setup = client.v1().setupIntents().create(SetupIntentCreateParams.builder()
                    .setCustomer(gatewayCustomer)
                    .setUsage(SetupIntentCreateParams.Usage.OFF_SESSION)
                    .setAutomaticPaymentMethods(SetupIntentCreateParams.AutomaticPaymentMethods.builder().setEnabled(true).build())
                    .build(), key(idempotencyKey));
            return new BrowserSetups.Setup(setup.getId(), setup.getClientSecret());
        } catch (StripeException e) {
            throw new StripeCallFailed("starting a SetupIntent for " + gatewayCustomer, e, retryable(e));
        }
    }

    /**
     * An unconfirmed SetupIntent for SEPA Direct Debit only ({@code payment_method_types[]=sepa_debit}), for off-session
     * use: the portal's IBAN Element confirms it with {@code stripe.confirmSepaDebitSetup} after showing the mandate text,
     * Stripe records the mandate's acceptance, and {@link #attach} keeps the PaymentMethod, the IBAN's last four and the
     * mandate reference — never the IBAN.
     */
    @Override
    public BrowserSetups.Setup beginSepaDebit(String gatewayCustomer, String idempotencyKey) {
        try {
            SetupIntent setup = client.v1().setupIntents().create(SetupIntentCreateParams.builder()
                    .setCustomer(gatewayCustomer)
                    .setUsage(SetupIntentCreateParams.Usage.OFF_SESSION)
                    .addPaymentMethodType("sepa_debit")
                    .build(), key(idempotencyKey));
            return new BrowserSetups.Setup(setup.getId(), setup.getClientSecret());
        } catch (StripeException e) {
            throw new StripeCallFailed("starting a SEPA Direct Debit SetupIntent for " + gatewayCustomer, e, retryable(e));
        }
    }

    private Attachment confirmedSetup(String setupIntentId, String gatewayCustomer) throws StripeException {
        SetupIntent setup = client.v1().setupIntents().retrieve(setupIntentId);
        if (!gatewayCustomer.equals(setup.getCustomer())) {
            // a token of another customer (a portal user pasting someone else's id): refused like any unusable token, not a 500
            throw new AccrueException(ErrorCode.INVALID_TOKEN, "token", "SetupIntent " + setupIntentId + " belongs to another Stripe customer");
        }
        GatewayOutcome outcome = setupOutcome(setup);
        if (!(outcome instanceof GatewayOutcome.Approved)) {
            return new Attachment(outcome, null);
        }
        PaymentMethod pm = client.v1().paymentMethods().retrieve(setup.getPaymentMethod());
        return new Attachment(outcome, StripeMethods.describe(pm, mandateReference(setup.getMandate())));
    }

    /** SEPA's mandate reference is what the customer sees on bank statements; other mandates are named by id. */
    private String mandateReference(String mandateId) throws StripeException {
        if (mandateId == null) {
            return null;
        }
        Mandate mandate = client.v1().mandates().retrieve(mandateId);
        Mandate.PaymentMethodDetails details = mandate.getPaymentMethodDetails();
        if (details != null && details.getSepaDebit() != null && details.getSepaDebit().getReference() != null) {
            return details.getSepaDebit().getReference();
        }
        if (details != null && details.getBacsDebit() != null && details.getBacsDebit().getReference() != null) {
            return details.getBacsDebit().getReference();
        }
        return mandate.getId();
    }

    private static GatewayOutcome setupOutcome(SetupIntent setup) {
        return switch (setup.getStatus()) {
            case "succeeded" -> new GatewayOutcome.Approved(setup.getId());
            case "processing" -> new GatewayOutcome.Unreachable("Stripe is still verifying SetupIntent " + setup.getId());
            case "requires_action" -> StripeDeclines.declined("authentication_required", "authentication_required", null,
                    "The bank asks the customer to authenticate this method in Stripe's form");
            default -> declinedBy(setup.getLastSetupError(), "setup_failed");
        };
    }

    @Override
    public void detach(String token) {
        try {
            client.v1().paymentMethods().detach(token);
        } catch (InvalidRequestException e) {
            // already detached (or never attached): the method can no longer be charged, which is what detach promises
        } catch (StripeException e) {
            throw new StripeCallFailed("detaching a Stripe payment method", e, retryable(e));
        }
    }

    private void detachQuietly(String paymentMethodId) {
        try {
            client.v1().paymentMethods().detach(paymentMethodId);
        } catch (StripeException e) {
            // best effort: a method that failed verification is never marked usable in Accrue either way
        }
    }

    /**
     * A PaymentIntent created and confirmed in one call, off-session, for the saved method of the customer.
     * Redirect-based methods are excluded: nobody is there to follow a redirect. A PaymentIntent still
     * {@code processing} (bank debits settle days later) is reported as {@link GatewayOutcome.Processing}: the
     * outcome is not known yet and the webhook settles it. The PaymentIntent carries the attempt's key and the
     * tenant in its metadata ({@code accrue_attempt}, {@code accrue_tenant}), which is how a webhook finds the
     * attempt it settles.
     */
    @Override
    public GatewayOutcome charge(GatewayCharge charge) {
        PaymentIntentCreateParams.Builder params = PaymentIntentCreateParams.builder()
                .setAmount(StripeAmounts.minorUnits(charge.amount()))
                .setCurrency(StripeAmounts.currency(charge.amount()))
                .setCustomer(charge.gatewayCustomer())
                .setPaymentMethod(charge.token())
                .setConfirm(true)
                .setOffSession(true)
                .setAutomaticPaymentMethods(PaymentIntentCreateParams.AutomaticPaymentMethods.builder()
                        .setEnabled(true)
                        .setAllowRedirects(PaymentIntentCreateParams.AutomaticPaymentMethods.AllowRedirects.NEVER)
                        .build());
        if (charge.description() != null) {
            params.setDescription(charge.description());
        }
        params.putMetadata(StripeEvents.ATTEMPT_METADATA, charge.idempotencyKey());
        if (charge.tenantId() != null) {
            params.putMetadata(StripeEvents.TENANT_METADATA, charge.tenantId());
        }
        try {
            return outcome(client.v1().paymentIntents().create(params.build(), key(charge.idempotencyKey())));
        } catch (StripeException e) {
            return failure(e);
        }
    }

    private static GatewayOutcome outcome(PaymentIntent intent) {
        return switch (intent.getStatus()) {
            case "succeeded" -> new GatewayOutcome.Approved(intent.getId());
            case "processing" -> new GatewayOutcome.Processing(intent.getId(), "PaymentIntent " + intent.getId()
                    + " is processing; Stripe reports the result by webhook (payment_intent.succeeded or payment_intent.payment_failed)");
            case "requires_action" -> StripeDeclines.declined("authentication_required", "authentication_required", null,
                    "The bank asks the customer to authenticate this payment; an off-session charge cannot");
            default -> declinedBy(intent.getLastPaymentError(), "card_declined");
        };
    }

    /**
     * Reads, never creates: <i>retrieve PaymentIntent</i> by its id when Accrue has it (a bank debit processing), else
     * <i>list PaymentIntents</i> of the Stripe customer, newest first, for the one whose metadata names the attempt
     * ({@code accrue_attempt}, set on every charge). The list, not <i>search</i>: Stripe's search is eventually
     * consistent (new objects show up after about a minute, and it is not offered in every region), the list is
     * not. A customer holds one PaymentIntent per attempt, so this is a page or two.
     */
    @Override
    public GatewayOutcome lookup(GatewayCharge charge, String reference) {
        try {
            if (reference != null) {
                return outcome(client.v1().paymentIntents().retrieve(reference));
            }
            String after = null;
            for (int page = 0; page < 100; page++) {
                PaymentIntentListParams.Builder params = PaymentIntentListParams.builder().setCustomer(charge.gatewayCustomer()).setLimit(100L);
                if (after != null) {
                    params.setStartingAfter(after);
                }
                StripeCollection<PaymentIntent> intents = client.v1().paymentIntents().list(params.build());
                for (PaymentIntent intent : intents.getData()) {
                    if (intent.getMetadata() != null && charge.idempotencyKey().equals(intent.getMetadata().get(StripeEvents.ATTEMPT_METADATA))) {
                        return outcome(intent);
                    }
                }
                if (!Boolean.TRUE.equals(intents.getHasMore()) || intents.getData().isEmpty()) {
                    return new GatewayOutcome.NotFound("Stripe holds no PaymentIntent of " + charge.gatewayCustomer() + " for attempt " + charge.idempotencyKey());
                }
                after = intents.getData().getLast().getId();
            }
            return new GatewayOutcome.Unreachable("Stripe's PaymentIntents of " + charge.gatewayCustomer() + " did not end after 10,000");
        } catch (InvalidRequestException e) {
            if ("resource_missing".equals(e.getCode())) {
                return new GatewayOutcome.NotFound("Stripe has no PaymentIntent " + reference);
            }
            throw new StripeCallFailed("looking up a Stripe PaymentIntent", e, false);
        } catch (StripeException e) {
            if (retryable(e)) {
                return new GatewayOutcome.Unreachable(describe(e));
            }
            throw new StripeCallFailed("looking up a Stripe PaymentIntent", e, false);
        }
    }

    /** {@code chargeReference} is the PaymentIntent id {@link #charge} returned (or a legacy {@code ch_…} charge). */
    @Override
    public GatewayOutcome refund(GatewayRefund refund) {
        RefundCreateParams.Builder params = RefundCreateParams.builder().setAmount(StripeAmounts.minorUnits(refund.amount()));
        if (refund.chargeReference().startsWith("ch_")) {
            params.setCharge(refund.chargeReference());
        } else {
            params.setPaymentIntent(refund.chargeReference());
        }
        if (refund.reason() != null) {
            switch (refund.reason()) {
                case "duplicate" -> params.setReason(RefundCreateParams.Reason.DUPLICATE);
                case "fraudulent" -> params.setReason(RefundCreateParams.Reason.FRAUDULENT);
                case "requested_by_customer" -> params.setReason(RefundCreateParams.Reason.REQUESTED_BY_CUSTOMER);
                default -> params.putMetadata("accrue_reason", refund.reason());
            }
        }
        try {
            Refund created = client.v1().refunds().create(params.build(), key(refund.idempotencyKey()));
            return switch (created.getStatus()) {
                case "succeeded", "pending" -> new GatewayOutcome.Approved(created.getId());
                case "requires_action" -> new GatewayOutcome.Unreachable("Refund " + created.getId() + " waits for the customer's bank details at Stripe");
                default -> new GatewayOutcome.Declined(created.getFailureReason() == null ? "refund_failed" : created.getFailureReason(), null,
                        "Stripe could not refund (" + created.getStatus() + ")", true);
            };
        } catch (StripeException e) {
            return failure(e);
        }
    }

    @Override
    public GatewayEvent parseEvent(String body, Map<String, String> headers) {
        return events.parse(body, headers);
    }

    private static GatewayOutcome.Declined declinedBy(StripeError error, String fallbackCode) {
        if (error == null) {
            return StripeDeclines.declined(fallbackCode, null, null, null);
        }
        return StripeDeclines.declined(error.getCode() == null ? fallbackCode : error.getCode(), error.getDeclineCode(), error.getAdviceCode(),
                error.getMessage());
    }

    /** The one mapping from a stripe-java exception to an outcome. */
    static GatewayOutcome failure(StripeException e) {
        if (e instanceof CardException) {
            return declinedBy(e.getStripeError(), "card_declined");
        }
        if (e instanceof IdempotencyException) {
            throw new IllegalStateException("Idempotency key reused with different parameters: " + e.getMessage(), e);
        }
        if (retryable(e)) {
            return new GatewayOutcome.Unreachable(describe(e));
        }
        if (e instanceof InvalidRequestException) {
            String code = e.getCode() == null ? "invalid_request" : e.getCode();
            return new GatewayOutcome.Declined(code, null, e.getMessage(), true);
        }
        throw new StripeCallFailed("calling Stripe", e, false);
    }

    /** Rate limits, no connection or no answer, Stripe's 5xx and 409 (same key in flight): the outcome is unknown. */
    static boolean retryable(StripeException e) {
        return e instanceof RateLimitException || e instanceof ApiConnectionException || e instanceof ApiException;
    }

    private static String describe(StripeException e) {
        if (e instanceof RateLimitException) {
            return "Stripe rate-limited the request (429); retry later with the same idempotency key";
        }
        if (e instanceof ApiConnectionException) {
            return "No answer from Stripe (" + e.getMessage() + "); retry with the same idempotency key";
        }
        return "Stripe failed (" + e.getStatusCode() + "): " + e.getMessage();
    }

    private static RequestOptions key(String idempotencyKey) {
        if (idempotencyKey == null || idempotencyKey.isBlank() || idempotencyKey.length() > 255) {
            throw new IllegalArgumentException("Stripe needs an idempotency key of 1-255 characters");
        }
        return RequestOptions.builder().setIdempotencyKey(idempotencyKey).build();
    }

    @Override
    public String toString() {
        return "StripeGateway[" + settings + "]";
    }
}

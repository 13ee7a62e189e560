package dev.accrue.adapters.payment.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.json.Json;
import dev.accrue.app.payment.gateway.GatewayCharge;
import dev.accrue.app.payment.gateway.GatewayDispute;
import dev.accrue.app.payment.gateway.GatewayEvent;
import dev.accrue.app.payment.gateway.GatewayMethod;
import dev.accrue.app.payment.gateway.GatewayOutcome;
import dev.accrue.app.payment.gateway.GatewayRefund;
import dev.accrue.app.payment.gateway.PaymentGateway;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import dev.accrue.core.payment.CardNumbers;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in gateway of the demo and the tests, behaving like Stripe's test mode ({@link SandboxInstruments}).
 * It keeps its books in its own tables and writes them on its own connection, outside any Accrue transaction —
 * as an external gateway would: what it approved stays approved when Accrue's transaction rolls back, and every
 * node sees the same books. Every call that moves money (and attach, and customer creation) answers a repeated
 * idempotency key with the first answer and moves nothing again.
 */
public final class SandboxGateway implements PaymentGateway {
    public static final String NAME = "sandbox";
    /** The secret sandbox webhooks are signed with (HMAC-SHA256 of the body, header {@code Sandbox-Signature}). */
    public static final String WEBHOOK_SECRET = "whsec_sandbox";
    private final Jdbi jdbi;
    private final Clock clock;

    public SandboxGateway(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    /** A token as tokenization answers it: never the number, only what Accrue may keep. */
    public record Token(String token, String kind, String brand, String last4, Integer expMonth, Integer expYear, String mandateReference) {
    }

    // ---- tokenization (the only place a card number is accepted) -----------------------------------------

    public Token tokenizeCard(String number, Integer expMonth, Integer expYear, String cvc) {
        String digits = CardNumbers.normalise(number);
        if (digits == null || !CardNumbers.luhn(digits)) {
            throw AccrueException.invalid("card.number", "card.number is not a valid card number");
        }
        if (expMonth == null || expMonth < 1 || expMonth > 12) {
            throw AccrueException.invalid("card.exp_month", "card.exp_month must be 1-12");
        }
        int thisYear = OffsetDateTime.now(clock).getYear();
        if (expYear == null || expYear > thisYear + 20 || expYear < 2000) {
            throw AccrueException.invalid("card.exp_year", "card.exp_year must be a four-digit year at most 20 years ahead");
        }
        if (cvc != null && !cvc.matches("[0-9]{3,4}")) {
            throw AccrueException.invalid("card.cvc", "card.cvc must be 3 or 4 digits");
        }
        String behaviour = SandboxInstruments.CARDS.getOrDefault(digits, SandboxInstruments.SUCCEED);
        String brand = CardNumbers.brand(digits);
        return store(new Token(newToken(), "card", brand, digits.substring(digits.length() - 4), expMonth, expYear, null), behaviour);
    }

    public Token tokenizeUpi(String vpa) {
        if (vpa == null || !vpa.matches("[A-Za-z0-9._-]{2,200}@[A-Za-z]{2,64}")) {
            throw AccrueException.invalid("upi.vpa", "upi.vpa must be a UPI id such as name@bank");
        }
        String behaviour = vpa.equalsIgnoreCase("failure@upi") ? "payment_declined" : SandboxInstruments.SUCCEED;
        String local = vpa.substring(0, vpa.indexOf('@'));
        String last4 = local.length() <= 4 ? local : local.substring(local.length() - 4);
        return store(new Token(newToken(), "upi", "upi", last4, null, null, null), behaviour);
    }

    /** A SEPA-style bank account; {@code mandateAccepted}: the account holder accepted the direct-debit mandate. */
    public Token tokenizeBankAccount(String iban, String holder, Boolean mandateAccepted) {
        String normal = iban == null ? null : iban.replace(" ", "").toUpperCase(Locale.ROOT);
        if (normal == null || !Iban.valid(normal)) {
            throw AccrueException.invalid("bank_account.iban", "bank_account.iban is not a valid IBAN");
        }
        if (holder == null || holder.isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "bank_account.account_holder", "bank_account.account_holder is required");
        }
        if (!Boolean.TRUE.equals(mandateAccepted)) {
            throw AccrueException.invalid("bank_account.mandate_accepted", "A direct debit needs the account holder's mandate (mandate_accepted: true)");
        }
        String behaviour = normal.equals(SandboxInstruments.FAILING_IBAN) ? "insufficient_funds" : SandboxInstruments.SUCCEED;
        String mandate = SandboxReferences.next("MDT-", 12).toUpperCase(Locale.ROOT);
        return store(new Token(newToken(), "bank_account", "sepa_debit", normal.substring(normal.length() - 4), null, null, mandate), behaviour);
    }

    /** Test helper: from now on the instrument behaves as {@code behaviour} (funds arrived, the card was blocked …). */
    public void simulate(String token, String behaviour) {
        if (!SandboxInstruments.BEHAVIOURS.contains(behaviour)) {
            throw AccrueException.invalid("behaviour", "behaviour must be one of " + SandboxInstruments.BEHAVIOURS);
        }
        int changed = jdbi.withHandle(h -> h.createUpdate("UPDATE sandbox_tokens SET behaviour = :b WHERE token = :t")
                .bind("b", behaviour).bind("t", token).execute());
        if (changed == 0) {
            throw AccrueException.notFound("token", token);
        }
    }

    /** How many charges the sandbox approved with these idempotency keys' prefix … for tests: all of a token. */
    public long chargesOf(String token) {
        return jdbi.withHandle(h -> h.createQuery("SELECT count(*) FROM sandbox_movements WHERE kind = 'charge' AND token = :t")
                .bind("t", token).mapTo(Long.class).one());
    }

    // ---- the port ---------------------------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String createCustomer(String accrueCustomerId, String email, String name, String idempotencyKey) {
        Map<String, Object> answer = once("customer", idempotencyKey, h -> Map.of("reference", SandboxReferences.next("scus_", 24)));
        return (String) answer.get("reference");
    }

    @Override
    public Attachment attach(String token, String gatewayCustomer, String idempotencyKey) {
        Map<String, Object> answer = once("attach", idempotencyKey, h -> {
            Optional<Map<String, Object>> row = h.createQuery("SELECT * FROM sandbox_tokens WHERE token = :t FOR UPDATE").bind("t", token).mapToMap().findOne();
            if (row.isEmpty() || Boolean.TRUE.equals(row.get().get("detached"))
                    || (row.get().get("gateway_customer") != null && !gatewayCustomer.equals(row.get().get("gateway_customer")))) {
                return declined(new GatewayOutcome.Declined("invalid_token", "resource_missing", "No such token: it is unknown, used or detached", true));
            }
            String behaviour = (String) row.get().get("behaviour");
            GatewayOutcome outcome = SandboxInstruments.failsOnAttach(behaviour)
                    ? SandboxInstruments.outcome(behaviour, null) : new GatewayOutcome.Approved(SandboxReferences.next("seti_", 24));
            if (outcome instanceof GatewayOutcome.Approved) {
                h.createUpdate("UPDATE sandbox_tokens SET gateway_customer = :c WHERE token = :t").bind("c", gatewayCustomer).bind("t", token).execute();
            }
            Map<String, Object> out = write(outcome);
            out.put("token", token);
            return out;
        });
        GatewayOutcome outcome = read(answer);
        if (!(outcome instanceof GatewayOutcome.Approved)) {
            return new Attachment(outcome, null);
        }
        return new Attachment(outcome, jdbi.withHandle(h -> h.createQuery("SELECT * FROM sandbox_tokens WHERE token = :t").bind("t", token)
                .map((rs, ctx) -> new GatewayMethod(token, rs.getString("kind"), rs.getString("brand"), rs.getString("last4"),
                        (Integer) rs.getObject("exp_month"), (Integer) rs.getObject("exp_year"), rs.getString("mandate_reference"))).one()));
    }

    @Override
    public void detach(String token) {
        jdbi.useHandle(h -> h.createUpdate("UPDATE sandbox_tokens SET detached = true WHERE token = :t").bind("t", token).execute());
    }

    @Override
    public GatewayOutcome charge(GatewayCharge charge) {
        return read(once("charge", charge.idempotencyKey(), h -> {
            Optional<Map<String, Object>> row = h.createQuery("SELECT * FROM sandbox_tokens WHERE token = :t").bind("t", charge.token()).mapToMap().findOne();
            if (row.isEmpty() || Boolean.TRUE.equals(row.get().get("detached")) || !charge.gatewayCustomer().equals(row.get().get("gateway_customer"))) {
                return declined(new GatewayOutcome.Declined("invalid_token", "resource_missing", "The payment method is not attached to this customer", true));
            }
            if ("bank_account".equals(row.get().get("kind"))) {
                return debit(h, charge, (String) row.get().get("behaviour"));
            }
            GatewayOutcome outcome = SandboxInstruments.outcome((String) row.get().get("behaviour"), SandboxReferences.next("ch_", 24));
            if (outcome instanceof GatewayOutcome.Approved a) {
                move(h, a.reference(), "charge", charge.token(), null, charge.amount().amount(), charge.amount().currency().getCurrencyCode(),
                        charge.idempotencyKey());
            }
            return write(outcome);
        }));
    }

    /**
     * The sandbox's books answer by the attempt's key (its own record of every charge it was sent). A charge still
     * processing settles here, once, as its instrument now behaves: the stored answer is replaced and the money
     * moved, so a repeated lookup (or a resend under the same key) answers the same.
     */
    @Override
    public GatewayOutcome lookup(GatewayCharge charge, String reference) {
        String stored = "charge:" + charge.idempotencyKey();
        return jdbi.inTransaction(h -> {
            Optional<String> answer = h.createQuery("SELECT answer::text FROM sandbox_requests WHERE idempotency_key = :k FOR UPDATE")
                    .bind("k", stored).mapTo(String.class).findOne();
            if (answer.isEmpty()) {
                return new GatewayOutcome.NotFound("The sandbox holds no charge for attempt " + charge.idempotencyKey());
            }
            @SuppressWarnings("unchecked") Map<String, Object> first = Json.MAPPER.convertValue(readTree(answer.get()), Map.class);
            GatewayOutcome outcome = read(first);
            if (!(outcome instanceof GatewayOutcome.Processing processing)) {
                return outcome;
            }
            Optional<String> queued = h.createQuery("SELECT body FROM sandbox_events WHERE body::jsonb->>'reference' = :r").bind("r", processing.reference())
                    .mapTo(String.class).findOne();
            if (queued.isPresent()) {
                // a bank debit: its outcome (and its money) was decided when the bank accepted it, and its event tells it
                @SuppressWarnings("unchecked") Map<String, Object> event = Json.MAPPER.convertValue(readTree(queued.get()), Map.class);
                @SuppressWarnings("unchecked") Map<String, Object> decided = (Map<String, Object>) event.get("outcome");
                return read(decided);
            }
            String behaviour = h.createQuery("SELECT behaviour FROM sandbox_tokens WHERE token = :t").bind("t", charge.token()).mapTo(String.class)
                    .findOne().orElse(SandboxInstruments.PROCESSING);
            GatewayOutcome settled = SandboxInstruments.outcome(behaviour, processing.reference());
            if (settled instanceof GatewayOutcome.Processing) {
                return settled;
            }
            if (settled instanceof GatewayOutcome.Approved a) {
                move(h, a.reference(), "charge", charge.token(), null, charge.amount().amount(), charge.amount().currency().getCurrencyCode(),
                        charge.idempotencyKey());
            }
            h.createUpdate("UPDATE sandbox_requests SET answer = CAST(:a AS jsonb) WHERE idempotency_key = :k").bind("a", Json.write(write(settled)))
                    .bind("k", stored).execute();
            return settled;
        });
    }

    /**
     * A SEPA-style direct debit, as Stripe's: the bank accepts it ({@code processing}, never sent again) and the outcome
     * comes later as an event — {@code payment_intent.succeeded}, or {@code payment_intent.payment_failed} with the
     * instrument's decline — queued in the sandbox's books in this very transaction (so a repeated key queues nothing
     * more) and delivered by {@link SandboxEvents}, signed, to the same intake as a webhook. Money moves when the bank
     * accepts a debit that will succeed. An instrument left {@code processing} queues nothing: its answer is learned
     * only by {@link #lookup}, as when a webhook never arrives.
     */
    private Map<String, Object> debit(Handle h, GatewayCharge charge, String behaviour) {
        String reference = SandboxReferences.next("py_", 24);
        GatewayOutcome settled = SandboxInstruments.outcome(behaviour, reference);
        if (settled instanceof GatewayOutcome.Processing) {
            // the bank has not answered (or its event is lost): nothing queued; a lookup settles it as the instrument then behaves
            return write(settled);
        }
        if (settled instanceof GatewayOutcome.Approved) {
            move(h, reference, "charge", charge.token(), null, charge.amount().amount(), charge.amount().currency().getCurrencyCode(), charge.idempotencyKey());
        }
        Map<String, Object> event = new LinkedHashMap<>();
        String id = SandboxReferences.next("sbevt_", 24);
        event.put("id", id);
        event.put("type", settled instanceof GatewayOutcome.Approved ? "payment_intent.succeeded" : "payment_intent.payment_failed");
        event.put("reference", reference);
        event.put("outcome", write(settled));
        event.put("tenant_id", charge.tenantId());
        event.put("attempt", charge.idempotencyKey());
        h.createUpdate("INSERT INTO sandbox_events (id, body, due_at, created_at) VALUES (:id, :body, :at, :at)")
                .bind("id", id).bind("body", Json.write(event)).bind("at", now()).execute();
        return write(new GatewayOutcome.Processing(reference, "The bank accepted the direct debit; it settles by a gateway event"));
    }

    @Override
    public GatewayOutcome refund(GatewayRefund refund) {
        return read(once("refund", refund.idempotencyKey(), h -> {
            Optional<Map<String, Object>> charge = h.createQuery("SELECT * FROM sandbox_movements WHERE reference = :r AND kind = 'charge' FOR UPDATE")
                    .bind("r", refund.chargeReference()).mapToMap().findOne();
            if (charge.isEmpty()) {
                return declined(new GatewayOutcome.Declined("invalid_charge", "resource_missing", "No such charge", true));
            }
            BigDecimal refunded = h.createQuery("SELECT coalesce(sum(amount), 0) FROM sandbox_movements WHERE kind = 'refund' AND charge = :r")
                    .bind("r", refund.chargeReference()).mapTo(BigDecimal.class).one();
            if (refunded.add(refund.amount().amount()).compareTo((BigDecimal) charge.get().get("amount")) > 0) {
                return declined(new GatewayOutcome.Declined("amount_too_large", "amount_too_large", "Refund is larger than what is left of the charge", true));
            }
            String reference = SandboxReferences.next("re_", 24);
            move(h, reference, "refund", null, refund.chargeReference(), refund.amount().amount(), refund.amount().currency().getCurrencyCode(),
                    refund.idempotencyKey());
            return write(new GatewayOutcome.Approved(reference));
        }));
    }

    @Override
    public GatewayEvent parseEvent(String body, Map<String, String> headers) {
        String signature = headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("Sandbox-Signature")).map(Map.Entry::getValue)
                .findFirst().orElse("");
        if (!MessageDigest.isEqual(sign(body).getBytes(StandardCharsets.UTF_8), signature.getBytes(StandardCharsets.UTF_8))) {
            throw new AccrueException(ErrorCode.UNAUTHENTICATED, "Sandbox-Signature does not match the body");
        }
        JsonNode event = readTree(body);
        JsonNode outcome = event.get("outcome");
        // a dispute of a sandbox charge, as Stripe's dispute events carry it (charge.dispute.*): {id, amount, currency, reason, status}
        JsonNode d = event.get("dispute");
        GatewayDispute dispute = null;
        if (d != null && !d.isNull()) {
            try {
                dispute = new GatewayDispute(d.path("id").asText(), Money.of(new BigDecimal(d.path("amount").asText()),
                        d.path("currency").asText().toUpperCase(Locale.ROOT)), d.path("reason").asText(null), d.path("status").asText());
            } catch (IllegalArgumentException e) { // NumberFormatException included: a signed but malformed body
                throw AccrueException.invalid("dispute", "dispute needs an amount (a decimal string) and a currency");
            }
        }
        return new GatewayEvent(event.path("id").asText(), event.path("type").asText(), event.path("reference").asText(null),
                outcome == null || outcome.isNull() ? null : read(Json.MAPPER.convertValue(outcome, Map.class)),
                event.path("tenant_id").asText(null), event.path("attempt").asText(null), null, dispute);
    }

    /** The signature {@link #parseEvent} expects on {@code body}. */
    public static String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(WEBHOOK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- books ---------------------------------------------------------------------------------------------

    private Token store(Token t, String behaviour) {
        jdbi.useHandle(h -> h.createUpdate("""
                        INSERT INTO sandbox_tokens (token, kind, brand, last4, exp_month, exp_year, mandate_reference, behaviour, created_at)
                        VALUES (:token, :kind, :brand, :last4, :m, :y, :mandate, :behaviour, :at)""")
                .bind("token", t.token()).bind("kind", t.kind()).bind("brand", t.brand()).bind("last4", t.last4()).bind("m", t.expMonth())
                .bind("y", t.expYear()).bind("mandate", t.mandateReference()).bind("behaviour", behaviour).bind("at", now()).execute());
        return t;
    }

    private interface Work {
        Map<String, Object> answer(Handle h);
    }

    /**
     * Runs {@code work} once per key: in one transaction of the sandbox's own, the key is claimed first (inserted),
     * then the work runs and its answer is stored with it. A concurrent call with the same key waits on the key's
     * unique index until the first commits, then reads the first answer — so two nodes sending one attempt at once
     * move money once.
     */
    private Map<String, Object> once(String operation, String key, Work work) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("An idempotency key is required");
        }
        String stored = operation + ":" + key;
        return jdbi.inTransaction(h -> {
            // a stand-in for a remote gateway: its books need not wait for the disk (a crash loses a charge
            // together with its record, and Accrue's pending attempt is then sent again and charged once)
            h.execute("SET LOCAL synchronous_commit = off");
            int claimed = h.createUpdate("""
                            INSERT INTO sandbox_requests (idempotency_key, operation, answer, created_at) VALUES (:k, :op, '{}', :at)
                            ON CONFLICT DO NOTHING""")
                    .bind("k", stored).bind("op", operation).bind("at", now()).execute();
            if (claimed == 0) {
                String first = h.createQuery("SELECT answer::text FROM sandbox_requests WHERE idempotency_key = :k").bind("k", stored)
                        .mapTo(String.class).one();
                @SuppressWarnings("unchecked") Map<String, Object> earlier = Json.MAPPER.convertValue(readTree(first), Map.class);
                return earlier;
            }
            Map<String, Object> answer = work.answer(h);
            h.createUpdate("UPDATE sandbox_requests SET answer = CAST(:a AS jsonb) WHERE idempotency_key = :k")
                    .bind("a", Json.write(answer)).bind("k", stored).execute();
            return answer;
        });
    }

    private void move(Handle h, String reference, String kind, String token, String charge, BigDecimal amount, String currency, String key) {
        h.createUpdate("""
                        INSERT INTO sandbox_movements (reference, kind, token, charge, amount, currency, idempotency_key, created_at)
                        VALUES (:r, :kind, :token, :charge, :amount, :currency, :key, :at)""")
                .bind("r", reference).bind("kind", kind).bind("token", token).bind("charge", charge).bind("amount", amount).bind("currency", currency)
                .bind("key", kind + ":" + key).bind("at", now()).execute();
    }

    private static Map<String, Object> declined(GatewayOutcome.Declined d) {
        return write(d);
    }

    private static Map<String, Object> write(GatewayOutcome o) {
        Map<String, Object> out = new LinkedHashMap<>();
        switch (o) {
            case GatewayOutcome.Approved a -> {
                out.put("type", "approved");
                out.put("reference", a.reference());
            }
            case GatewayOutcome.Declined d -> {
                out.put("type", "declined");
                out.put("code", d.code());
                out.put("decline_code", d.declineCode());
                out.put("message", d.message());
                out.put("hard", d.hard());
            }
            case GatewayOutcome.Unreachable u -> {
                out.put("type", "unreachable");
                out.put("message", u.message());
            }
            case GatewayOutcome.Processing p -> {
                out.put("type", "processing");
                out.put("reference", p.reference());
                out.put("message", p.message());
            }
            case GatewayOutcome.NotFound n -> {
                out.put("type", "not_found");
                out.put("message", n.message());
            }
        }
        return out;
    }

    private static GatewayOutcome read(Map<?, ?> m) {
        return switch (String.valueOf(m.get("type"))) {
            case "approved" -> new GatewayOutcome.Approved((String) m.get("reference"));
            case "declined" -> new GatewayOutcome.Declined((String) m.get("code"), (String) m.get("decline_code"), (String) m.get("message"),
                    Boolean.TRUE.equals(m.get("hard")));
            case "processing" -> new GatewayOutcome.Processing((String) m.get("reference"), String.valueOf(m.get("message")));
            case "not_found" -> new GatewayOutcome.NotFound(String.valueOf(m.get("message")));
            default -> new GatewayOutcome.Unreachable(String.valueOf(m.get("message")));
        };
    }

    private static JsonNode readTree(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw AccrueException.invalid("body", "The event is not JSON");
        }
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String newToken() {
        return SandboxReferences.next("tok_", 24);
    }

    /** ISO 13616 IBAN: country, check digits, and the mod-97 check. */
    static final class Iban {
        private Iban() {
        }

        static boolean valid(String iban) {
            if (!iban.matches("[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")) {
                return false;
            }
            String moved = iban.substring(4) + iban.substring(0, 4);
            int mod = 0;
            for (char c : moved.toCharArray()) {
                String part = Character.isDigit(c) ? String.valueOf(c) : Integer.toString(c - 'A' + 10);
                for (char d : part.toCharArray()) {
                    mod = (mod * 10 + (d - '0')) % 97;
                }
            }
            return mod == 1;
        }
    }
}

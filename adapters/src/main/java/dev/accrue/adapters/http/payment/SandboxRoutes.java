package dev.accrue.adapters.http.payment;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.adapters.payment.sandbox.SandboxGateway;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The sandbox gateway's tokenization — served only while the sandbox is the node's gateway. It stands in for the
 * gateway's own card form: the one place Accrue accepts a card number (a test card), answering a token and what
 * may be kept (brand, last four, expiry); the number itself is neither stored nor logged.
 */
public final class SandboxRoutes {
    private final SandboxGateway sandbox;
    private final Idempotency idempotency;

    public SandboxRoutes(SandboxGateway sandbox, Idempotency idempotency) {
        this.sandbox = sandbox;
        this.idempotency = idempotency;
    }

    record Card(String number, Integer expMonth, Integer expYear, String cvc) {
    }

    record Upi(String vpa) {
    }

    record BankAccount(String iban, String accountHolder, Boolean mandateAccepted) {
    }

    record TokenBody(Card card, Upi upi, BankAccount bankAccount) {
    }

    record SimulateBody(String behaviour) {
    }

    record TokenView(String object, String id, String type, String brand, String last4, Integer expMonth, Integer expYear, String mandateReference) {
        static TokenView of(SandboxGateway.Token t) {
            return new TokenView("token", t.token(), t.kind(), t.brand(), t.last4(), t.expMonth(), t.expYear(), t.mandateReference());
        }
    }

    public void register(RoutesConfig app) {
        app.post(Requests.SANDBOX_TOKENIZATION, ctx -> {
            var caller = Requests.optionalCaller(ctx);
            caller.ifPresent(c -> c.requireWrite());
            TokenBody b = Requests.body(ctx, TokenBody.class);
            int given = (b.card() == null ? 0 : 1) + (b.upi() == null ? 0 : 1) + (b.bankAccount() == null ? 0 : 1);
            if (given != 1) {
                throw new AccrueException(given == 0 ? ErrorCode.MISSING_FIELD : ErrorCode.VALIDATION_FAILED, "card",
                        "Exactly one of card, upi or bank_account is tokenized");
            }
            Supplier<Object> tokenize = () -> TokenView.of(b.card() != null
                    ? sandbox.tokenizeCard(b.card().number(), b.card().expMonth(), b.card().expYear(), b.card().cvc())
                    : b.upi() != null ? sandbox.tokenizeUpi(b.upi().vpa())
                    : sandbox.tokenizeBankAccount(b.bankAccount().iban(), b.bankAccount().accountHolder(), b.bankAccount().mandateAccepted()));
            if (caller.isPresent()) {
                idempotency.create(ctx, 201, tokenize);
            } else {
                // a browser's card form (no API key): nothing is stored under a tenant, so there is nothing to replay
                Responses.json(ctx, 201, tokenize.get());
            }
        });
        app.post("/v1/sandbox/tokens/{token}/simulate", ctx -> {
            Requests.caller(ctx).requireWrite();
            SimulateBody b = Requests.body(ctx, SimulateBody.class);
            if (b.behaviour() == null) {
                throw new AccrueException(ErrorCode.MISSING_FIELD, "behaviour", "behaviour is required");
            }
            sandbox.simulate(ctx.pathParam("token"), b.behaviour());
            Responses.json(ctx, 200, Map.of("object", "token", "id", ctx.pathParam("token"), "behaviour", b.behaviour()));
        });
    }
}

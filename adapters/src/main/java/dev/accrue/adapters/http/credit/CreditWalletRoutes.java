package dev.accrue.adapters.http.credit;

import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.creditwallet.CreditWalletEntry;
import dev.accrue.app.creditwallet.CreditWalletTopUp;
import dev.accrue.app.creditwallet.CreditWallets;
import dev.accrue.core.creditwallet.CreditLot;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** /v1/customers/{id}/credit_wallets: wallets of credits (granted or paid, in units, restricted or not) that invoices consume. */
public final class CreditWalletRoutes {
    private final CreditWallets wallets;
    private final Idempotency idempotency;

    public CreditWalletRoutes(CreditWallets wallets, Idempotency idempotency) {
        this.wallets = wallets;
        this.idempotency = idempotency;
    }

    record RecurringBody(BigDecimal credits, String expires) {
    }

    record TopUpBody(BigDecimal threshold, BigDecimal target) {
    }

    record OpenBody(String name, String unit, BigDecimal rate, Integer priority, Boolean paidFirst, List<String> appliesTo, RecurringBody recurring,
                    TopUpBody topUp) {
    }

    record GrantBody(BigDecimal credits, String kind, Instant expiresAt, String description) {
    }

    record RecurringView(String credits, String expires) {
    }

    record TopUpRuleView(String threshold, String target) {
    }

    record BalanceView(String grantedCredits, String paidCredits, String credits, String value) {
    }

    record LotView(String id, String kind, String remaining, Instant grantedAt, Instant expiresAt) {
        static LotView of(CreditLot l) {
            return new LotView(l.id(), l.paid() ? "paid" : "granted", plain(l.remaining()), l.grantedAt(), l.expiresAt());
        }
    }

    record EntryView(String id, String kind, String lotId, String credits, String amount, Instant expiresAt, String description, Instant effectiveAt,
                     Instant createdAt) {
        static EntryView of(CreditWalletEntry e) {
            return new EntryView(e.id(), e.kind(), e.lotId(), plain(e.credits()), e.amount().toPlainMinorString(), e.expiresAt(), e.description(),
                    e.effectiveAt(), e.createdAt());
        }
    }

    record TopUpView(String id, String credits, String amount, String status, String gatewayReference, String failureCode, Instant requestedAt,
                     Instant settledAt) {
        static TopUpView of(CreditWalletTopUp t) {
            return new TopUpView(t.id(), plain(t.credits()), t.amount().toPlainMinorString(), t.status(), t.gatewayReference(), t.failureCode(),
                    t.requestedAt(), t.settledAt());
        }
    }

    record WalletView(String object, String id, String customerId, String name, String unit, String currency, String rate, int priority,
                      boolean paidFirst, List<String> appliesTo, RecurringView recurring, TopUpRuleView topUp, Instant createdAt, Instant at,
                      BalanceView balance, List<LotView> lots, List<EntryView> entries, List<TopUpView> topUps) {
    }

    record WalletList(String object, List<WalletView> data) {
    }

    public void register(RoutesConfig app) {
        app.get("/v1/customers/{id}/credit_wallets", ctx -> Responses.json(ctx, 200,
                new WalletList("list", wallets.list(Requests.caller(ctx), ctx.pathParam("id")).stream().map(CreditWalletRoutes::view).toList())));
        app.post("/v1/customers/{id}/credit_wallets", ctx -> {
            OpenBody b = Requests.body(ctx, OpenBody.class);
            var opening = new CreditWallets.Opening(b.name(), b.unit(), b.rate(), b.priority(), b.paidFirst(), b.appliesTo(),
                    b.recurring() == null ? null : b.recurring().credits(), b.recurring() == null ? null : b.recurring().expires(),
                    b.topUp() == null ? null : b.topUp().threshold(), b.topUp() == null ? null : b.topUp().target());
            idempotency.create(ctx, 201, () -> view(wallets.open(Requests.caller(ctx), ctx.pathParam("id"), opening)));
        });
        app.get("/v1/customers/{id}/credit_wallets/{wallet_id}", ctx -> Responses.json(ctx, 200,
                view(wallets.get(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("wallet_id")))));
        app.post("/v1/customers/{id}/credit_wallets/{wallet_id}/grants", ctx -> {
            GrantBody b = Requests.body(ctx, GrantBody.class);
            String kind = b.kind() == null ? "granted" : b.kind();
            if (!kind.equals("granted") && !kind.equals("paid")) {
                throw AccrueException.invalid("kind", "kind is granted (free credits) or paid");
            }
            idempotency.create(ctx, 201, () -> view(wallets.grant(Requests.caller(ctx), ctx.pathParam("id"), ctx.pathParam("wallet_id"), b.credits(),
                    kind.equals("paid"), b.expiresAt(), b.description())));
        });
    }

    private static WalletView view(CreditWallets.View v) {
        var w = v.wallet();
        var b = v.balance();
        return new WalletView("credit_wallet", w.id(), w.customerId(), w.name(), w.unit(), w.currency().getCurrencyCode(), plain(w.rate()), w.priority(),
                w.paidFirst(), w.appliesTo(), w.recurringCredits() == null ? null : new RecurringView(plain(w.recurringCredits()),
                w.recurringExpires() ? "end_of_month" : "never"),
                w.topUpThreshold() == null ? null : new TopUpRuleView(plain(w.topUpThreshold()), plain(w.topUpTarget())), w.createdAt(), v.at(),
                new BalanceView(plain(b.granted()), plain(b.paid()), plain(b.total()), w.creditRate().value(b.total()).toPlainMinorString()),
                v.lots().stream().filter(l -> l.usableAt(v.at())).map(LotView::of).toList(), v.entries().stream().map(EntryView::of).toList(),
                v.topUps().stream().map(TopUpView::of).toList());
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}

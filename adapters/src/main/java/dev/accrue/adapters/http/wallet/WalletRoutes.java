package dev.accrue.adapters.http.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.adapters.http.support.Idempotency;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * Prepaid wallets: /v1/customers/{id}/wallet (balance, credit limit, auto-recharge), its top-ups (each
 * with a receipt), its ledger entries and monthly statements; receipts;.
 */
public final class WalletRoutes {
    private final WalletService wallets;
    private final Idempotency idempotency;

    public WalletRoutes(WalletService wallets, Idempotency idempotency) {
        this.wallets = wallets;
        this.idempotency = idempotency;
    }

    record TopUpBody(BigDecimal amount, String currency, String description) {
    }

    record RechargeBody(BigDecimal threshold, BigDecimal amount) {
    }

    public void register(RoutesConfig app) {
        app.get("/v1/customers/{id}/wallet", ctx -> Responses.json(ctx, 200, WalletViews.WalletView.of(wallets.view(Requests.caller(ctx), ctx.pathParam("id")))));
        app.patch("/v1/customers/{id}/wallet", this::configure);
        app.post("/v1/customers/{id}/wallet/top_ups", ctx -> {
            TopUpBody b = Requests.body(ctx, TopUpBody.class);
            idempotency.create(ctx, 201, () -> WalletViews.ReceiptView.of(wallets.topUp(Requests.caller(ctx), ctx.pathParam("id"), b.amount(), b.currency(),
                    b.description())));
        });
        app.get("/v1/customers/{id}/wallet/entries", ctx -> Responses.list(ctx,
                wallets.history(Requests.caller(ctx), ctx.pathParam("id"), Requests.page(ctx)).map(WalletViews.EntryView::of), WalletViews.EntryView::id));
        app.get("/v1/customers/{id}/wallet/statements/{month}", ctx -> Responses.json(ctx, 200, WalletViews.StatementView.of(
                wallets.statement(Requests.caller(ctx), ctx.pathParam("id"), month(ctx.pathParam("month"))))));
        app.get("/v1/customers/{id}/receipts", ctx -> Responses.list(ctx,
                wallets.receipts(Requests.caller(ctx), ctx.pathParam("id"), Requests.page(ctx)).map(WalletViews.ReceiptView::of), WalletViews.ReceiptView::id));
        app.get("/v1/receipts", ctx -> Responses.list(ctx,
                wallets.receipts(Requests.caller(ctx), ctx.queryParam("customer_id"), Requests.page(ctx)).map(WalletViews.ReceiptView::of), WalletViews.ReceiptView::id));
        app.get("/v1/receipts/{id}", ctx -> Responses.json(ctx, 200, WalletViews.ReceiptView.of(wallets.receipt(Requests.caller(ctx), ctx.pathParam("id")))));
    }

    private void configure(Context ctx) {
        var body = Requests.object(ctx);
        body.fieldNames().forEachRemaining(f -> {
            if (!f.equals("credit_limit") && !f.equals("auto_recharge")) {
                throw new AccrueException(ErrorCode.UNKNOWN_FIELD, f, "Unknown field '" + f + "'; expected credit_limit or auto_recharge");
            }
        });
        BigDecimal limit = body.has("credit_limit") ? Requests.convert(body.get("credit_limit"), BigDecimal.class) : null;
        JsonNode recharge = body.get("auto_recharge");
        boolean clear = recharge != null && recharge.isNull();
        RechargeBody r = recharge == null || clear ? new RechargeBody(null, null) : Requests.convert(recharge, RechargeBody.class);
        if (recharge != null && !clear && (r.threshold() == null || r.amount() == null)) {
            throw AccrueException.invalid("auto_recharge", "auto_recharge needs both threshold and amount (or null to turn it off)");
        }
        Responses.json(ctx, 200, WalletViews.WalletView.of(wallets.configure(Requests.caller(ctx), ctx.pathParam("id"), limit, r.threshold(), r.amount(), clear)));
    }

    private static YearMonth month(String text) {
        try {
            return YearMonth.parse(text);
        } catch (DateTimeParseException e) {
            throw AccrueException.invalid("month", "month must look like 2026-07, got '" + text + "'");
        }
    }
}

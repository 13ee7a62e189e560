package dev.accrue.adapters.http.wallet;

import dev.accrue.app.wallet.Receipt;
import dev.accrue.app.wallet.WalletEntry;
import dev.accrue.app.wallet.WalletService;
import dev.accrue.core.money.Money;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Wire forms of wallets, ledger entries, receipts, statements and outbound emails: amounts as decimal strings. */
final class WalletViews {
    private WalletViews() {
    }

    /** Amounts read as everywhere else ({@link Money#toPlainMinorString}): "100.00", never "100" or "22.5". */
    static String decimal(Money m) {
        return m == null ? null : m.toPlainMinorString();
    }

    record AutoRecharge(String threshold, String amount, Instant requestedAt) {
    }

    record WalletView(String object, String customerId, String currency, String balance, String creditLimit, String spendable,
                      AutoRecharge autoRecharge) {
        static WalletView of(WalletService.WalletView w) {
            return new WalletView("wallet", w.customerId(), w.balance().currency().getCurrencyCode(), decimal(w.balance()), decimal(w.creditLimit()),
                    decimal(w.spendable()), w.rechargeThreshold() == null ? null
                    : new AutoRecharge(decimal(w.rechargeThreshold()), decimal(w.rechargeAmount()), w.rechargeRequestedAt()));
        }
    }

    record EntryView(String id, String object, String kind, String amount, String balanceAfter, String currency, String subscriptionId,
                     String description, Instant createdAt) {
        static EntryView of(WalletEntry e) {
            return new EntryView(e.id(), "wallet_entry", e.kind().wire(), decimal(e.amount()), decimal(e.balanceAfter()),
                    e.amount().currency().getCurrencyCode(), e.subscriptionId(), e.description(), e.createdAt());
        }
    }

    record ReceiptView(String id, String object, String number, String customerId, String currency, String amount, String taxRate, String tax,
                       String total, String balanceAfter, Instant createdAt) {
        static ReceiptView of(Receipt r) {
            return new ReceiptView(r.id(), "receipt", r.number(), r.customerId(), r.amount().currency().getCurrencyCode(), r.amount().toPlainMinorString(),
                    r.taxRate().stripTrailingZeros().toPlainString(), r.tax().toPlainMinorString(), r.total().toPlainMinorString(),
                    decimal(r.balanceAfter()), r.createdAt());
        }
    }

    record StatementView(String object, String customerId, String month, String currency, String openingBalance, String closingBalance,
                         Map<String, String> totals, String consumption, String amountOwed, List<EntryView> entries) {
        static StatementView of(WalletService.Statement s) {
            return new StatementView("wallet_statement", s.customerId(), s.month().toString(), s.opening().currency().getCurrencyCode(),
                    decimal(s.opening()), decimal(s.closing()),
                    s.totals().entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> decimal(e.getValue()), (a, b) -> a,
                            java.util.LinkedHashMap::new)),
                    decimal(s.consumption()), decimal(s.owed()), s.entries().stream().map(EntryView::of).toList());
        }
    }


}

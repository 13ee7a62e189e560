package dev.accrue.app.wallet;

import dev.accrue.core.customer.Customer;

/** The plain-text body of a top-up receipt email. */
final class ReceiptText {
    private ReceiptText() {
    }

    static String render(String seller, Customer customer, Receipt r) {
        String cur = r.amount().currency().getCurrencyCode();
        String rate = r.taxRate().movePointRight(2).stripTrailingZeros().toPlainString();
        return """
                Receipt %s from %s
                Customer: %s (%s)
                Date: %s

                Credit added to your prepaid balance  %12s %s
                VAT (%s %%)%s%12s %s
                Total paid                            %12s %s

                New balance                           %12s %s
                """.formatted(r.number(), seller, customer.legalName(), customer.id(), r.createdAt().atZone(customer.timeZone()).toLocalDate(),
                r.amount().toPlainMinorString(), cur, rate, " ".repeat(Math.max(1, 38 - ("VAT ( %)".length() + rate.length()))), r.tax().toPlainMinorString(), cur,
                r.total().toPlainMinorString(), cur, r.balanceAfter().toPlainMinorString(), cur);
    }

    static String statement(String seller, Customer customer, WalletService.Statement s) {
        String cur = s.opening().currency().getCurrencyCode();
        StringBuilder text = new StringBuilder();
        text.append("Statement ").append(s.month()).append(" from ").append(seller).append('\n')
                .append("Customer: ").append(customer.legalName()).append(" (").append(customer.id()).append(")\n\n")
                .append(String.format("%-48s %12s %s%n", "Opening balance", s.opening().toPlainMinorString(), cur));
        for (WalletEntry e : s.entries()) {
            text.append(String.format("%s  %-36.36s %12s %s%n", e.createdAt().atZone(customer.timeZone()).toLocalDate(), e.description(),
                    e.amount().toPlainMinorString(), cur));
        }
        text.append(String.format("%-48s %12s %s%n", "Closing balance", s.closing().toPlainMinorString(), cur))
                .append(String.format("%-48s %12s %s%n", "Consumption", s.consumption().toPlainMinorString(), cur))
                .append(String.format("%-48s %12s %s%n", "Amount owed", s.owed().toPlainMinorString(), cur));
        return text.toString();
    }
}

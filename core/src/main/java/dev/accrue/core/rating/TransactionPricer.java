package dev.accrue.core.rating;

import dev.accrue.core.catalog.PriceModel;
import dev.accrue.core.catalog.Pricing;
import dev.accrue.core.catalog.Tier;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;

/**
 * Prices transactions — the amount a period's events carried (their sum) and how many there were — for the models that
 * price money rather than units. Exact and unrounded: the rated line rounds once.
 *
 * <ul>
 *   <li>PERCENTAGE: {@code rate% × max(0, amount − free_amount) + fixed_fee × max(0, transactions − free_transactions)}.
 *   The free amount and the free transactions are independent allowances, both counted from the period's start.</li>
 *   <li>GRADUATED_PERCENTAGE: each tier's rate applies to the part of the amount inside it, plus its flat price once
 *   the amount reaches it (an amount of zero reaches no tier), like GRADUATED on units.</li>
 *   <li>DYNAMIC: the amount itself — each event carried its own price, in the customer's currency.</li>
 * </ul>
 */
public final class TransactionPricer {
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private TransactionPricer() {
    }

    public static Money price(Pricing pricing, String currency, BigDecimal amount, long transactions) {
        if (amount == null || amount.signum() < 0 || transactions < 0) {
            throw AccrueException.invalid("amount", "An amount processed and a transaction count are zero or more, got " + amount + " and " + transactions);
        }
        BigDecimal price = switch (pricing.model()) {
            case PERCENTAGE -> percentage(pricing, currency, amount, transactions);
            case GRADUATED_PERCENTAGE -> graduated(pricing, currency, amount);
            case DYNAMIC -> amount;
            default -> throw new IllegalArgumentException(pricing.model() + " prices units, not transactions: use UsagePricer");
        };
        return Money.of(price, currency);
    }

    /**
     * The fees of {@code transactions} transactions that each carried {@code amountEach}, under a percentage pricing
     * whose fee per transaction is bounded: {@code transactions × clamp(rate% × amountEach + fixed_fee, min, max)}, exact
     * (the line rounds the sum of all groups once). A missing bound in the currency does not bound.
     */
    public static Money boundedFees(Pricing pricing, String currency, BigDecimal amountEach, long transactions) {
        if (pricing.model() != PriceModel.PERCENTAGE || amountEach == null || amountEach.signum() < 0 || transactions < 0) {
            throw new IllegalArgumentException("bounded fees price percentage transactions of a non-negative amount, got "
                    + pricing.model() + ", " + amountEach + ", " + transactions);
        }
        BigDecimal fee = share(pricing.rate(), amountEach).add(pricing.fixedFee().getOrDefault(currency, BigDecimal.ZERO));
        BigDecimal min = pricing.perTransactionMin().get(currency);
        BigDecimal max = pricing.perTransactionMax().get(currency);
        if (min != null) {
            fee = fee.max(min);
        }
        if (max != null) {
            fee = fee.min(max);
        }
        return Money.of(fee.multiply(BigDecimal.valueOf(transactions)), currency);
    }

    private static BigDecimal percentage(Pricing p, String currency, BigDecimal amount, long transactions) {
        BigDecimal free = p.freeAmount() == null ? BigDecimal.ZERO : p.freeAmount();
        long freeCount = p.freeTransactions() == null ? 0 : p.freeTransactions();
        BigDecimal share = share(p.rate(), amount.subtract(free).max(BigDecimal.ZERO));
        BigDecimal fee = p.fixedFee().getOrDefault(currency, BigDecimal.ZERO).multiply(BigDecimal.valueOf(Math.max(0, transactions - freeCount)));
        return share.add(fee);
    }

    private static BigDecimal graduated(Pricing p, String currency, BigDecimal amount) {
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (Tier tier : p.tiers()) {
            if (amount.compareTo(lower) <= 0) {
                break;
            }
            BigDecimal top = tier.upTo() == null ? amount : tier.upTo().min(amount);
            total = total.add(share(tier.rate(), top.subtract(lower))).add(tier.flatPrice().getOrDefault(currency, BigDecimal.ZERO));
            if (tier.upTo() == null) {
                return total;
            }
            lower = tier.upTo();
        }
        return total;
    }

    /** {@code rate} percent of {@code amount}: a division by 100 always terminates, so it is exact. */
    private static BigDecimal share(BigDecimal ratePercent, BigDecimal amount) {
        return ratePercent == null ? BigDecimal.ZERO : amount.multiply(ratePercent).divide(HUNDRED);
    }
}

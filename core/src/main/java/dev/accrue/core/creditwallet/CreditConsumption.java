package dev.accrue.core.creditwallet;

import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The one rule for spending a wallet's credits on an amount owed at an instant. Only lots usable at that instant count
 * (granted before it, not expired at it). Granted (free) credits go first, then paid ones — or paid first when the
 * wallet says so; within each, the lot expiring first goes first (lots that never expire last), then the oldest. Each
 * lot pays what it can: the credits that cost what is still owed (rounded up), or all it has left, worth its value
 * rounded to the minor unit. The money paid never exceeds {@code owed}, and no lot gives more credits than it has.
 */
public final class CreditConsumption {
    private CreditConsumption() {
    }

    public static Comparator<CreditLot> order(boolean paidFirst) {
        Comparator<CreditLot> byKind = Comparator.comparing(l -> l.paid() != paidFirst);
        return byKind.thenComparing(CreditLot::expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(CreditLot::grantedAt).thenComparing(CreditLot::id);
    }

    public static List<CreditDraw> plan(List<CreditLot> lots, boolean paidFirst, Instant at, CreditRate rate, Money owed) {
        List<CreditDraw> draws = new ArrayList<>();
        Money left = owed;
        for (CreditLot lot : lots.stream().filter(l -> l.usableAt(at)).sorted(order(paidFirst)).toList()) {
            if (!left.isPositive()) {
                break;
            }
            BigDecimal needed = rate.creditsFor(left);
            if (needed.compareTo(lot.remaining()) <= 0) {
                draws.add(new CreditDraw(lot.id(), needed, left));
                left = left.minus(left);
            } else {
                Money worth = rate.value(lot.remaining());
                Money pays = worth.compareTo(left) > 0 ? left : worth;
                if (pays.isPositive()) {
                    draws.add(new CreditDraw(lot.id(), lot.remaining(), pays));
                    left = left.minus(pays);
                }
            }
        }
        return draws;
    }

    public static Money paid(List<CreditDraw> draws, Money zero) {
        Money sum = zero;
        for (CreditDraw d : draws) {
            sum = sum.plus(d.amount());
        }
        return sum;
    }
}

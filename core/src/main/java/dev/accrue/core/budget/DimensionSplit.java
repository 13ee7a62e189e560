package dev.accrue.core.budget;

import dev.accrue.core.money.Allocation;
import dev.accrue.core.money.Money;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shares one charge's amount out over the values of a usage dimension (teams, projects), in proportion to their
 * weights (usage, or usage cost), by largest remainder: the parts add up to the amount exactly, none is negative
 * for a positive amount, and equal weights differ by at most one minor unit. When no value has weight (usage
 * that carries no value, a gauge), the whole amount goes to {@code fallback}.
 */
public final class DimensionSplit {
    private DimensionSplit() {
    }

    public static Map<String, Money> split(Money amount, Map<String, BigDecimal> weights, String fallback) {
        if (amount.isZero()) {
            return Map.of();
        }
        if (weights.values().stream().allMatch(w -> w.signum() == 0)) {
            return Map.of(fallback, amount);
        }
        List<String> values = new ArrayList<>(weights.keySet());
        List<Money> shares = Allocation.largestRemainder(amount, values.stream().map(weights::get).toList());
        Map<String, Money> out = new LinkedHashMap<>();
        for (int i = 0; i < values.size(); i++) {
            out.put(values.get(i), shares.get(i));
        }
        return out;
    }
}

package dev.accrue.core.addon;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which allowance a metric's usage has used, source by source. Billing treats allowances as one pool (the
 * overage is the same whatever the order), so this is how the pool is shown to a customer: the plan's own
 * allowance first, then monthly packages, then bundles by expiry — the soonest-expiring first, bundles that never
 * expire last — which is the order that lets the least lapse unused.
 */
public final class AllowanceSources {
    private AllowanceSources() {
    }

    public enum Kind { PLAN, PACKAGE, BUNDLE }

    /** One source of included usage; {@code expiresOn} (exclusive) for a bundle that lapses, else null. */
    public record Source(String source, Kind kind, BigDecimal granted, LocalDate expiresOn) {
    }

    public record Consumed(String source, Kind kind, BigDecimal granted, BigDecimal used, BigDecimal remaining, LocalDate expiresOn) {
    }

    /** The consumption order: plan, packages, bundles by expiry (never-expiring last); stable within a rank. */
    public static List<Source> inConsumptionOrder(List<Source> sources) {
        List<Source> ordered = new ArrayList<>(sources);
        ordered.sort(Comparator.comparing(Source::kind)
                .thenComparing(Source::expiresOn, Comparator.nullsLast(Comparator.naturalOrder())));
        return ordered;
    }

    /** Fills the sources with {@code used} in consumption order; what exceeds them all is overage, not shown here. */
    public static List<Consumed> consume(List<Source> sources, BigDecimal used) {
        BigDecimal left = used.max(BigDecimal.ZERO);
        List<Consumed> out = new ArrayList<>();
        for (Source s : inConsumptionOrder(sources)) {
            BigDecimal take = left.min(s.granted());
            left = left.subtract(take);
            out.add(new Consumed(s.source(), s.kind(), s.granted(), take, s.granted().subtract(take), s.expiresOn()));
        }
        return out;
    }
}

package dev.accrue.core.catalog;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One version of a tenant's catalog: everything it sells and how each thing is billed. Versions are
 * immutable once imported; a version takes effect at {@code effectiveFrom}, and a subscription keeps the
 * version it was created on until it changes plan. Lists default to empty when absent from the document.
 */
public record Catalog(
        String name,
        int version,
        Instant effectiveFrom,
        List<String> currencies,
        String description,
        List<Metric> metrics,
        List<RateTable> rateTables,
        List<Feature> features,
        List<Product> products,
        List<Plan> plans,
        List<AddOn> addOns) {

    public Catalog {
        currencies = Lists.orEmpty("currencies", currencies);
        metrics = Lists.orEmpty("metrics", metrics);
        rateTables = Lists.orEmpty("rate_tables", rateTables);
        features = Lists.orEmpty("features", features);
        products = Lists.orEmpty("products", products);
        plans = Lists.orEmpty("plans", plans);
        addOns = Lists.orEmpty("add_ons", addOns);
    }

    public Optional<Plan> plan(String code) {
        return plans.stream().filter(p -> p.code().equals(code)).findFirst();
    }

    public Optional<Metric> metric(String code) {
        return metrics.stream().filter(m -> m.code().equals(code)).findFirst();
    }

    public Optional<RateTable> rateTable(String code) {
        return rateTables.stream().filter(t -> t.code().equals(code)).findFirst();
    }

    public Optional<Feature> feature(String code) {
        return features.stream().filter(f -> f.code().equals(code)).findFirst();
    }

    public Optional<AddOn> addOn(String code) {
        return addOns.stream().filter(a -> a.code().equals(code)).findFirst();
    }

    public Optional<Product> product(String code) {
        return products.stream().filter(p -> p.code().equals(code)).findFirst();
    }

    /** True when moving from one plan to another of the same product goes up the tier ladder. */
    public boolean isUpgrade(String fromPlan, String toPlan) {
        Plan from = plan(fromPlan).orElseThrow();
        Plan to = plan(toPlan).orElseThrow();
        return to.tier() > from.tier();
    }

    /**
     * The lowest-tier plan of the product that grants a feature (a true boolean feature, or a limit/quota of
     * at least {@code atLeast}); empty when no plan does.
     */
    public Optional<Plan> cheapestPlanWith(String product, String feature, long atLeast) {
        return plans.stream()
                .filter(p -> p.product().equals(product))
                .filter(p -> p.entitlements().grants(feature, atLeast))
                .min(java.util.Comparator.comparingInt(Plan::tier));
    }
}

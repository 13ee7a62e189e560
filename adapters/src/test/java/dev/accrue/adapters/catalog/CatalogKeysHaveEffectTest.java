package dev.accrue.adapters.catalog;

import dev.accrue.core.alert.Thresholds;
import dev.accrue.core.catalog.Catalog;
import dev.accrue.core.catalog.CatalogProblem;
import dev.accrue.core.catalog.InvalidCatalogException;
import dev.accrue.core.catalog.MeteredCharge;
import dev.accrue.core.catalog.PlanOverrides;
import dev.accrue.core.rating.UsageRating;
import dev.accrue.core.subscription.RecurringBilling;
import dev.accrue.core.time.Alignment;
import dev.accrue.core.time.BillingInterval;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.accrue.adapters.catalog.KeyCatalog.ADD_ONS;
import static dev.accrue.adapters.catalog.KeyCatalog.FEATURES;
import static dev.accrue.adapters.catalog.KeyCatalog.METRICS;
import static dev.accrue.adapters.catalog.KeyCatalog.PLANS;
import static dev.accrue.adapters.catalog.KeyCatalog.PRODUCTS;
import static dev.accrue.adapters.catalog.KeyCatalog.RATE_TABLES;
import static dev.accrue.adapters.catalog.KeyCatalog.YAML;
import static dev.accrue.adapters.catalog.KeyCatalog.read;
import static dev.accrue.adapters.catalog.KeyCatalog.swap;
import static dev.accrue.adapters.catalog.KeyCatalog.without;
import static dev.accrue.adapters.catalog.KeyObservables.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Every key docs/catalog.md documents has an effect: changing it in the {@link KeyCatalog} changes a result of
 * the billing functions the application calls with it (an invoice line, a price, a period, an event's outcome,
 * an entitlement), or the validator refuses the change with a specific code. The documented keys are read from
 * the document, so a key documented without a case fails {@link #everyDocumentedKeyHasACaseOrIsAListedGap}.
 *
 * <p>Keys whose effect lives only inside an application service (reached through the database and the clock)
 * are listed in {@link #WIRED_IN_SERVICES} with the source that reads them; keys the code accepts and then ignores
 * are listed in {@link #KNOWN_GAPS}, so what is missing stays visible instead of being faked.
 */
class CatalogKeysHaveEffectTest {

    /**
     * Documented keys accepted and then not (yet) billed as documented. Each entry says why; none has a case.
     * Remove an entry when its fix lands, and add the key's case.
     */
    static final Map<String, String> KNOWN_GAPS = Map.of();

    /**
     * Documented values (not keys: the key itself has a case) that are accepted and not billed as documented.
     * Informational: listed so the report and the next reader see them.
     */
    static final Map<String, String> KNOWN_VALUE_GAPS = Map.of(
            "charges.recurring.proration: full_period / add_ons.proration: full_period",
            "full_period bills like never on plan charges (no own period is opened) and like by_day on add-on packages (PackagePricing)");

    /**
     * Documented labels with no effect besides being served back by the catalog API; their case proves that much.
     */
    static final Set<String> LABELS_ONLY = Set.of("top.description", "metrics.name", "rate_tables.name", "rate_tables.unit", "features.name",
            "features.unit", "products.name", "products.description", "plans.description", "add_ons.description");

    /**
     * Keys whose effect is computed inside an application service from stored state (the subscription, the numbers
     * rented, the purchases), with no pure function to call here: key → the service source and the read of the key
     * it must contain. The server's scenario tests exercise these; this test only proves the service still reads them.
     */
    static final Map<String, String[]> WIRED_IN_SERVICES = wired();

    private static Map<String, String[]> wired() {
        String subscriptions = "app/src/main/java/dev/accrue/app/subscription/SubscriptionService.java";
        String billing = "app/src/main/java/dev/accrue/app/billing/BillingService.java";
        String addOns = "app/src/main/java/dev/accrue/app/addon/AddOnService.java";
        String numbers = "app/src/main/java/dev/accrue/app/rental/PhoneNumberService.java";
        Map<String, String[]> w = new LinkedHashMap<>();
        w.put("plans.trial_days", new String[]{subscriptions, "plan.trialDays()"});
        w.put("plans.invoicing", new String[]{"app/src/main/java/dev/accrue/app/billing/InvoiceIssuer.java", "plan.invoicing()"});
        // trial usage and add-on charges are billed from stored usage and purchases: EverythingAcceptedIsBilledTest (server) proves them
        w.put("plans.trial_usage", new String[]{billing, "plan.trialUsage()"});
        // immediate cancellation with a prorated refund: ImmediateCancellationTest (server)
        w.put("plans.cancellation", new String[]{subscriptions, "plan.cancellation()"});
        w.put("plans.cancellation.effective", new String[]{subscriptions, "plan.cancellation().effective()"});
        // one live subscription per product: SubscriptionRulesTest (server)
        w.put("products.multiple_subscriptions", new String[]{subscriptions, "Product::multipleSubscriptions"});
        w.put("add_ons.charges", new String[]{addOns, "addOn.charges()"});
        w.put("plans.change_policy.upgrade_invoicing", new String[]{subscriptions, "changePolicy().upgradeInvoicing()"});
        w.put("plans.lock_in", new String[]{subscriptions, "plan.lockIn()"});
        // progressive billing is checked after usage is stored: ProgressiveBillingScenarioTest (server)
        w.put("plans.progressive_billing", new String[]{"app/src/main/java/dev/accrue/app/billing/ProgressiveInvoicing.java", "plan.progressiveBilling()"});
        w.put("plans.progressive_billing.scope", new String[]{"app/src/main/java/dev/accrue/app/billing/ProgressiveInvoicing.java", "thresholds.scope()"});
        w.put("plans.lock_in.months", new String[]{subscriptions, "plan.lockIn().months()"});
        w.put("add_ons.name", new String[]{addOns, "addOn.name()"});
        w.put("add_ons.group", new String[]{addOns, "addOn.group()"});
        w.put("add_ons.rank", new String[]{addOns, "addOn.rank()"});
        w.put("add_ons.up_front_fee", new String[]{addOns, "addOn.upFrontFee()"});
        w.put("add_ons.can_start_next_period", new String[]{addOns, "addOn.canStartNextPeriod()"});
        w.put("add_ons.includes", new String[]{addOns, "addOn.includes()"});
        w.put("add_ons.expiry", new String[]{addOns, "addOn.expiry()"});
        w.put("add_ons.rental.quota", new String[]{numbers, "rental().quota()"});
        w.put("add_ons.rental.options.setup_fee", new String[]{numbers, "option.setupFee()"});
        w.put("add_ons.rental.first_item_trial_days", new String[]{numbers, "rental().firstItemTrialDays()"});
        w.put("add_ons.rental.hold_grace_days", new String[]{numbers, "rental().holdGraceDays()"});
        w.put("add_ons.rental.regulatory_fees", new String[]{numbers, "rental().regulatoryFees()"});
        w.put("add_ons.rental.regulatory_fees.country", new String[]{numbers, "fee.country()"});
        w.put("add_ons.rental.regulatory_fees.name", new String[]{numbers, "fee.name()"});
        w.put("add_ons.rental.regulatory_fees.monthly_fee", new String[]{numbers, "fee.monthlyFee()"});
        // the tax rate a charge or add-on line gets, looked up when a document is taxed: TaxedInvoicesTest (server)
        String taxes = "app/src/main/java/dev/accrue/app/tax/DocumentTaxes.java";
        w.put("charges.tax_category", new String[]{taxes, "c.taxCategory()"});
        w.put("add_ons.tax_category", new String[]{taxes, "a.taxCategory()"});
        return w;
    }

    /** One proof per key. */
    static Map<String, Runnable> cases() {
        Map<String, Runnable> c = new LinkedHashMap<>();
        // ---- top level
        c.put("top.name", refused(without("name: keys\n"), CatalogProblem.MISSING_FIELD, "name"));
        c.put("top.version", refused(swap("version: 1\n", "version: 0\n"), CatalogProblem.INVALID_VALUE, "version"));
        c.put("top.effective_from", refused(without("effective_from: 2026-01-01\n"), CatalogProblem.MISSING_FIELD, "effective_from"));
        c.put("top.currencies", refused(swap("currencies: [USD]", "currencies: [EUR]"), CatalogProblem.UNDECLARED_CURRENCY,
                "plans[0].charges[0].monthly_price.USD"));
        c.put("top.description", label(swap("Every documented key, once", "A catalog of keys")));
        c.put("top.metrics", refused(without(METRICS), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].charges[1].metric"));
        c.put("top.rate_tables", refused(without(RATE_TABLES), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].charges[2].rate_table"));
        c.put("top.features", refused(without(FEATURES), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].entitlements.limits.concurrent"));
        c.put("top.products", refused(without(PRODUCTS), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].product"));
        c.put("top.plans", refused(without(PLANS), CatalogProblem.UNKNOWN_REFERENCE, "add_ons[0].available_on[0]"));
        c.put("top.add_ons", effect(without(ADD_ONS), KeyObservables::basicUsageWithAddOns));
        // ---- metrics
        c.put("metrics.code", refused(swap("{ code: calls,", "{ code: call_time,"), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].charges[1].metric"));
        c.put("metrics.name", label(swap("name: Call time", "name: Talk time")));
        c.put("metrics.aggregation", effect(swap("aggregation: sum, field: seconds", "aggregation: max, field: seconds"), KeyObservables::basicUsage));
        c.put("metrics.field", effect(swap("field: seconds", "field: duration"), cat -> event(cat, "calls", props("seconds", 30))));
        c.put("metrics.unit", effect(swap("unit: second }", "unit: sec }"), KeyObservables::basicUsage));
        // a negative adjustment is refused, then accepted once the sum metric allows negative values
        c.put("metrics.allow_negative", effect(swap("field: seconds, unit: second }", "field: seconds, unit: second, allow_negative: true }"),
                cat -> event(cat, "calls", props("seconds", -30))));
        c.put("metrics.filters", effect(swap("filters: { channel: [platform] }", "filters: { channel: [platform, custom] }"),
                cat -> event(cat, "sms", props("channel", "custom", "country", "FR"))));
        c.put("metrics.group_by", effect(swap("group_by: [country]", "group_by: []"),
                cat -> event(cat, "sms", props("channel", "platform", "country", "FR"))));
        // ---- rate tables
        c.put("rate_tables.code", refused(swap("- code: sms_rates", "- code: sms_prices"), CatalogProblem.UNKNOWN_REFERENCE,
                "plans[0].charges[2].rate_table"));
        c.put("rate_tables.name", label(swap("name: SMS rates", "name: Texting rates")));
        c.put("rate_tables.dimensions", refused(swap("dimensions: [country]", "dimensions: [direction]"), CatalogProblem.UNKNOWN_REFERENCE,
                "rate_tables[0].rows[0].match.country"));
        c.put("rate_tables.unit", label(swap("    unit: segment\n", "    unit: message\n")));
        c.put("rate_tables.per_units", effect(swap("per_units: 1\n", "per_units: 10\n"), KeyObservables::basicUsage));
        c.put("rate_tables.rows", effect(swap("""
                    rows:
                      - { match: { country: FR }, price: { USD: "0.05" } }
                """, "    rows: []\n"), KeyObservables::basicUsage));
        c.put("rate_tables.rows.match", effect(swap("match: { country: FR }", "match: { country: DE }"), KeyObservables::basicUsage));
        c.put("rate_tables.rows.per", effect(swap("{ match: { country: FR }, price: { USD: \"0.05\" } }",
                "{ match: { country: FR }, price: { USD: \"0.05\" }, per: event }"), KeyObservables::basicUsage));
        c.put("charges.metered.timing", refused(swap("        timing: in_arrears\n", "        timing: in_advance\n"), CatalogProblem.INVALID_VALUE,
                "plans[0].charges[1].timing"));
        c.put("rate_tables.rows.price", effect(swap("}, price: { USD: \"0.05\" }", "}, price: { USD: \"0.07\" }"), KeyObservables::basicUsage));
        c.put("rate_tables.default_price", effect(swap("default_price: { USD: \"0.10\" }", "default_price: { USD: \"0.20\" }"),
                KeyObservables::basicUsage));
        // ---- features and products
        c.put("features.code", refused(swap("{ code: concurrent,", "{ code: concurrency,"), CatalogProblem.UNKNOWN_REFERENCE,
                "plans[0].entitlements.limits.concurrent"));
        c.put("features.name", label(swap("name: Boosted queuing", "name: Priority queue")));
        c.put("features.type", refused(swap("type: limit", "type: quota"), CatalogProblem.WRONG_FEATURE_TYPE, "plans[0].entitlements.limits.concurrent"));
        c.put("features.unit", label(swap("unit: call }", "unit: channel }")));
        c.put("products.code", refused(swap("{ code: voice,", "{ code: telephony,"), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].product"));
        c.put("products.name", label(swap("name: Voice,", "name: Telephony,")));
        c.put("products.description", label(swap("Calls and texts", "Voice and SMS")));
        // ---- plans
        c.put("plans.code", refused(swap("- code: basic\n", "- code: starter\n"), CatalogProblem.UNKNOWN_REFERENCE, "add_ons[0].available_on[0]"));
        c.put("plans.product", refused(swap("- code: basic\n    product: voice", "- code: basic\n    product: video"),
                CatalogProblem.UNKNOWN_REFERENCE, "plans[0].product"));
        c.put("plans.name", effect(swap("name: Basic\n", "name: Starter\n"), cat -> firstInvoice(cat, "basic", BillingInterval.MONTH, null)));
        c.put("plans.tier", effect(swap("tier: 1\n", "tier: 5\n"), cat -> cat.isUpgrade("basic", "pro")));
        c.put("plans.description", label(swap("The entry plan", "Where everyone starts")));
        c.put("plans.intervals", effect(swap("{ interval: quarter, discount_percent: 10 }, ", ""), cat -> basePrice(cat, BillingInterval.QUARTER)));
        c.put("plans.intervals.interval", effect(swap("{ interval: quarter,", "{ interval: half_year,"), cat -> basePrice(cat, BillingInterval.QUARTER)));
        c.put("plans.intervals.discount_percent", effect(swap("discount_percent: 10", "discount_percent: 20"), cat -> basePrice(cat, BillingInterval.QUARTER)));
        c.put("plans.alignment", effect(swap("alignment: anniversary", "alignment: calendar"), cat -> firstInvoice(cat, "basic", BillingInterval.MONTH, null)));
        c.put("plans.charges", effect(swap("charges: [{ type: recurring, code: base, name: Pro fee, monthly_price: { USD: \"90.00\" } }]", "charges: []"),
                cat -> firstInvoice(cat, "pro", BillingInterval.MONTH, null)));
        c.put("plans.entitlements", effect(swap("""
                    entitlements:
                      features: { boosted: false }
                      limits: { concurrent: 2 }
                      quotas: { numbers: 1 }
                """, ""), cat -> grants(plan(cat, "basic"), "concurrent", 1)));
        c.put("plans.entitlements.features", effect(swap("features: { boosted: false }", "features: { boosted: true }"),
                cat -> grants(plan(cat, "basic"), "boosted", 1) + " " + cat.cheapestPlanWith("voice", "boosted", 1).map(p -> p.code())));
        c.put("plans.entitlements.limits", effect(swap("limits: { concurrent: 2 }", "limits: { concurrent: 8 }"),
                cat -> grants(plan(cat, "basic"), "concurrent", 5)));
        c.put("plans.entitlements.quotas", effect(swap("quotas: { numbers: 1 }", "quotas: { numbers: 3 }"), cat -> grants(plan(cat, "basic"), "numbers", 2)));
        c.put("plans.change_policy", effect(swap("    change_policy: { upgrade: next_period, upgrade_invoicing: next_invoice }\n", ""),
                KeyObservables::upgradeTiming));
        c.put("plans.change_policy.upgrade", effect(swap("upgrade: next_period", "upgrade: immediate"), KeyObservables::upgradeTiming));
        c.put("plans.change_policy.downgrade", refused(swap("downgrade: end_of_period", "downgrade: immediate"), CatalogProblem.INVALID_VALUE,
                "plans[0].change_policy.downgrade"));
        c.put("plans.cancellation.refund", refused(swap("refund: none", "refund: prorated"), CatalogProblem.INVALID_VALUE, "plans[0].cancellation.refund"));
        // ---- every charge
        c.put("charges.type", refused(swap("{ type: recurring, code: base, name: Base fee", "{ type: metered, code: base, name: Base fee"),
                CatalogProblem.MISSING_FIELD, "plans[0].charges[0].metric"));
        c.put("charges.code", effect(swap("code: base, name: Base fee", "code: fee, name: Base fee"),
                cat -> firstInvoice(cat, "basic", BillingInterval.MONTH, null)));
        c.put("charges.name", effect(swap("name: Base fee", "name: Subscription"), cat -> firstInvoice(cat, "basic", BillingInterval.MONTH, null)));
        // ---- recurring charges
        c.put("charges.recurring.monthly_price", effect(swap("monthly_price: { USD: \"30.00\" }", "monthly_price: { USD: \"40.00\" }"),
                cat -> firstInvoice(cat, "basic", BillingInterval.MONTH, null)));
        c.put("charges.recurring.per_unit_quantity", effect(swap("per_unit_quantity: false", "per_unit_quantity: true"), KeyObservables::threeSeats));
        c.put("charges.recurring.interval_prices", effect(swap(", interval_prices: { year: { USD: \"300.00\" } }", ""),
                cat -> basePrice(cat, BillingInterval.YEAR)));
        c.put("charges.recurring.proration", effect(swap("proration: by_day, timing", "proration: never, timing"),
                cat -> firstInvoice(cat, "basic", BillingInterval.MONTH, Alignment.CALENDAR)));
        c.put("charges.recurring.timing", effect(swap("proration: by_day, timing: in_advance", "proration: by_day, timing: in_arrears"),
                cat -> firstInvoice(cat, "basic", BillingInterval.MONTH, Alignment.CALENDAR)));
        // ---- metered charges
        c.put("charges.metered.metric", effect(swap("metric: calls\n", "metric: requests\n"), KeyObservables::basicUsage));
        c.put("charges.metered.allowances", effect(swap("        allowances: [{ quantity: 600, reset: billing_period }]\n", ""),
                KeyObservables::basicUsage));
        c.put("charges.metered.allowances.quantity", effect(swap("quantity: 600,", "quantity: 1200,"), KeyObservables::basicUsage));
        c.put("charges.metered.allowances.reset", effect(swap("reset: billing_period }]", "reset: week }]"), KeyObservables::basicUsage));
        c.put("charges.metered.pricing", refused(swap("        pricing: { model: per_unit, unit_price: { USD: \"0.60\" }, per_units: 60 }\n", ""),
                CatalogProblem.MISSING_PRICE, "plans[0].charges[1].pricing"));
        c.put("charges.metered.rate_table", refused(swap(", rate_table: sms_rates }", " }"), CatalogProblem.MISSING_PRICE, "plans[0].charges[2].pricing"));
        c.put("charges.metered.overage", effect(swap("        overage: { policy: charge_up_to_cap, cap: { USD: \"10.00\" } }\n", ""),
                CatalogKeysHaveEffectTest::thirtyMinutesOver));
        c.put("charges.metered.overage.policy", effect(swap("{ policy: charge_up_to_cap, cap: { USD: \"10.00\" } }", "{ policy: block }"),
                KeyObservables::basicUsage));
        c.put("charges.metered.overage.cap", effect(swap("cap: { USD: \"10.00\" }", "cap: { USD: \"5.00\" }"), KeyObservables::basicUsage));
        c.put("charges.metered.invoice_cadence", effect(swap("invoice_cadence: billing_period", "invoice_cadence: week"), KeyObservables::basicUsage));
        // cutting only applies to a cadence of its own (the validator refuses it on billing_period), so both move to week here
        c.put("charges.metered.cut_at_month_start", effect(swap("invoice_cadence: billing_period\n        cut_at_month_start: false",
                        "invoice_cadence: week\n        cut_at_month_start: true"),
                KeyObservables::ownCadenceWindows));
        c.put("charges.metered.minimum_spend", effect(swap("minimum_spend: { USD: \"40.00\" }", "minimum_spend: { USD: \"60.00\" }"),
                KeyObservables::periodTrueUps));
        // progressive billing thresholds: the level 120.00 of usage reaches moves with them
        String progressive = swap("minimum_commitment: { USD: \"120.00\" }", "minimum_commitment: { USD: \"120.00\" }\n"
                + "    progressive_billing: { thresholds: [{ USD: \"50.00\" }], recurring: { USD: \"30.00\" } }");
        Function<String, Object> level = yaml -> read(yaml).plan("basic").orElseThrow().progressiveBilling().level(new BigDecimal("120.00"), "USD");
        c.put("plans.progressive_billing.thresholds", differs(() -> level.apply(progressive),
                () -> level.apply(progressive.replace("[{ USD: \"50.00\" }]", "[{ USD: \"100.00\" }]"))));
        c.put("plans.progressive_billing.recurring", differs(() -> level.apply(progressive),
                () -> level.apply(progressive.replace("recurring: { USD: \"30.00\" }", "recurring: { USD: \"60.00\" }"))));
        c.put("plans.minimum_commitment", effect(swap("minimum_commitment: { USD: \"120.00\" }", "minimum_commitment: { USD: \"200.00\" }"),
                KeyObservables::periodTrueUps));
        // ---- counted charges
        c.put("charges.counted.metric", effect(swap("metric: contacts\n", "metric: calls\n"), cat -> countedLine(cat, 500, null)));
        c.put("charges.counted.tiers", effect(swap("tiers: [{ up_to: 1000, flat_price: { USD: \"49.00\" } }, { flat_price: { USD: \"99.00\" } }]",
                "tiers: [{ up_to: 400, flat_price: { USD: \"49.00\" } }, { flat_price: { USD: \"99.00\" } }]"), cat -> countedLine(cat, 500, null)));
        c.put("charges.counted.minimum_is_last_invoiced", effect(swap("minimum_is_last_invoiced: true", "minimum_is_last_invoiced: false"),
                cat -> countedLine(cat, 500, "99.00")));
        c.put("charges.counted.derived_allowances", effect(swap("        derived_allowances: [{ metric: emails, per_unit: 4, reset: month }]\n", ""),
                KeyObservables::contactsUsage));
        c.put("charges.counted.derived_allowances.metric", refused(swap("{ metric: emails, per_unit: 4", "{ metric: calls, per_unit: 4"),
                CatalogProblem.UNKNOWN_REFERENCE, "plans[2].charges[0].derived_allowances[0].metric"));
        c.put("charges.counted.derived_allowances.per_unit", effect(swap("per_unit: 4", "per_unit: 2"), KeyObservables::contactsUsage));
        c.put("charges.counted.derived_allowances.reset", effect(swap("per_unit: 4, reset: month", "per_unit: 4, reset: week"),
                KeyObservables::contactsUsage));
        // ---- pricing
        c.put("pricing.model", effect(swap("model: graduated\n", "model: volume\n"), KeyObservables::basicUsage));
        c.put("pricing.unit_price", effect(swap("unit_price: { USD: \"0.60\" }", "unit_price: { USD: \"1.20\" }"), KeyObservables::basicUsage));
        c.put("pricing.per_units", effect(swap("per_units: 60", "per_units: 120"), KeyObservables::basicUsage));
        c.put("pricing.tiers", effect(swap("""
                            - { up_to: 100, unit_price: { USD: "0.10" }, flat_price: { USD: "1.00" } }
                            - { unit_price: { USD: "0.05" } }
                """, """
                            - { unit_price: { USD: "0.05" } }
                """), KeyObservables::basicUsage));
        c.put("pricing.tiers.up_to", effect(swap("up_to: 100,", "up_to: 200,"), KeyObservables::basicUsage));
        c.put("pricing.tiers.unit_price", effect(swap("{ unit_price: { USD: \"0.05\" } }", "{ unit_price: { USD: \"0.07\" } }"), KeyObservables::basicUsage));
        c.put("pricing.tiers.flat_price", effect(swap("flat_price: { USD: \"1.00\" }", "flat_price: { USD: \"3.00\" }"), KeyObservables::basicUsage));
        c.put("pricing.rate", effect(swap("rate: \"2.9\"", "rate: \"3.9\""), KeyObservables::basicUsage));
        c.put("pricing.fixed_fee", effect(swap("fixed_fee: { USD: \"0.30\" }", "fixed_fee: { USD: \"0.50\" }"), KeyObservables::basicUsage));
        c.put("pricing.free_amount", effect(swap("free_amount: \"100\"", "free_amount: \"200\""), KeyObservables::basicUsage));
        c.put("pricing.free_transactions", effect(swap("free_transactions: 1", "free_transactions: 2"), KeyObservables::basicUsage));
        // per-transaction bounds cannot sit beside free amounts: compare the card fee without them, unbounded and bounded
        String unbounded = swap(", free_amount: \"100\", free_transactions: 1 }", " }");
        c.put("pricing.per_transaction_min", differs(() -> KeyObservables.basicUsage(read(unbounded)), () -> KeyObservables.basicUsage(read(
                unbounded.replace("fixed_fee: { USD: \"0.30\" } }", "fixed_fee: { USD: \"0.30\" }, per_transaction_min: { USD: \"5.00\" } }")))));
        c.put("pricing.per_transaction_max", differs(() -> KeyObservables.basicUsage(read(unbounded)), () -> KeyObservables.basicUsage(read(
                unbounded.replace("fixed_fee: { USD: \"0.30\" } }", "fixed_fee: { USD: \"0.30\" }, per_transaction_max: { USD: \"5.00\" } }")))));
        c.put("pricing.tiers.rate", effect(swap("{ up_to: 500, rate: \"1\" }", "{ up_to: 500, rate: \"2\" }"), KeyObservables::basicUsage));
        c.put("pricing.package_size", effect(swap("package_size: 1000", "package_size: 500"), KeyObservables::contactsUsage));
        c.put("pricing.package_price", effect(swap("package_price: { USD: \"1.00\" }", "package_price: { USD: \"2.00\" }"), KeyObservables::contactsUsage));
        // ---- add-ons
        c.put("add_ons.code", effect(swap("- code: minutes_pack", "- code: minutes_bundle"), cat -> cat.addOn("minutes_pack").map(a -> a.price())));
        c.put("add_ons.type", refused(swap("type: package", "type: rental"), CatalogProblem.MISSING_FIELD, "add_ons[0].rental"));
        c.put("add_ons.description", label(swap("100 more minutes every month", "Extra minutes")));
        c.put("add_ons.available_on", effect(swap("available_on: [basic]", "available_on: [pro]"), KeyObservables::basicUsageWithAddOns));
        c.put("add_ons.price", effect(swap("price: { USD: \"20.00\" }", "price: { USD: \"25.00\" }"), KeyObservables::packageMonth));
        c.put("add_ons.proration", effect(swap("proration: never", "proration: by_day"), KeyObservables::packageMonth));
        c.put("add_ons.alignment", refused(swap("alignment: calendar", "alignment: anniversary"), CatalogProblem.NOT_SUPPORTED, "add_ons[0].alignment"));
        c.put("add_ons.grants", effect(swap("    grants: [{ metric: calls, quantity: 6000, reset: month }]\n", ""), KeyObservables::basicUsageWithAddOns));
        c.put("add_ons.grants.metric", effect(swap("{ metric: calls, quantity: 6000", "{ metric: requests, quantity: 6000"),
                KeyObservables::basicUsageWithAddOns));
        c.put("add_ons.grants.quantity", effect(swap("quantity: 6000", "quantity: 300"), KeyObservables::basicUsageWithAddOns));
        c.put("add_ons.grants.reset", refused(swap("quantity: 6000, reset: month", "quantity: 6000, reset: week"), CatalogProblem.NOT_SUPPORTED,
                "add_ons[0].grants[0].reset"));
        c.put("add_ons.rental", refused(swap("""
                    rental:
                      quota: numbers
                      attributes: [country, type]
                      options:
                        - { match: { country: US, type: local }, monthly_fee: { USD: "1.00" }, setup_fee: { USD: "1.00" } }
                      first_item_trial_days: 7
                      hold_grace_days: 7
                      regulatory_fees: [{ country: US, name: USF, monthly_fee: { USD: "0.25" } }]
                """, ""), CatalogProblem.MISSING_FIELD, "add_ons[1].rental"));
        c.put("add_ons.rental.attributes", refused(swap("attributes: [country, type]", "attributes: [country]"), CatalogProblem.UNKNOWN_REFERENCE,
                "add_ons[1].rental.options[0].match.type"));
        c.put("add_ons.rental.options", refused(swap("""
                      options:
                        - { match: { country: US, type: local }, monthly_fee: { USD: "1.00" }, setup_fee: { USD: "1.00" } }
                """, ""), CatalogProblem.MISSING_FIELD, "add_ons[1].rental.options"));
        c.put("add_ons.rental.options.match", effect(swap("match: { country: US, type: local }", "match: { type: local }"),
                cat -> cat.addOn("numbers_rental").orElseThrow().rental().optionFor(Map.of("country", "DE", "type", "local")).map(o -> o.monthlyFee())));
        c.put("add_ons.rental.options.monthly_fee", effect(swap("monthly_fee: { USD: \"1.00\" }", "monthly_fee: { USD: \"2.00\" }"),
                KeyObservables::rentalHalfMonth));
        // ---- usage alert thresholds (read by app/alert/UsageAlertEvaluator through Thresholds.ofPlan)
        c.put("plans.usage_alerts", effect(without("usage_alerts: [{ metric: calls, percents: [75, 90, 95, 100], amounts: [1200] }]"),
                cat -> Thresholds.ofPlan(plan(cat, "basic"), "calls")));
        c.put("plans.usage_alerts.metric", refused(swap("{ metric: calls, percents", "{ metric: talk, percents"), CatalogProblem.UNKNOWN_REFERENCE,
                "plans[0].usage_alerts[0].metric"));
        c.put("plans.usage_alerts.percents", effect(swap("percents: [75, 90, 95, 100]", "percents: [50, 100]"),
                cat -> Thresholds.ofPlan(plan(cat, "basic"), "calls")));
        c.put("plans.usage_alerts.amounts", effect(swap("amounts: [1200]", "amounts: [600]"), cat -> Thresholds.ofPlan(plan(cat, "basic"), "calls")));
        // ---- per-customer overrides (applied to the plan and its rate tables)
        c.put("overrides.prices", differs(
                () -> recurringWith(PlanOverrides.NONE), () -> recurringWith(overrides("{\"prices\": {\"base\": {\"USD\": \"45.00\"}}}"))));
        c.put("overrides.allowances", differs(() -> usageWith(PlanOverrides.NONE),
                () -> usageWith(overrides("{\"allowances\": {\"minutes\": [{\"quantity\": 1200, \"reset\": \"billing_period\"}]}}"))));
        c.put("overrides.limits", differs(() -> grants(PlanOverrides.NONE.applyTo(plan(read(YAML), "basic")), "concurrent", 5),
                () -> grants(overrides("{\"limits\": {\"concurrent\": 8}}").applyTo(plan(read(YAML), "basic")), "concurrent", 5)));
        c.put("overrides.quotas", differs(() -> grants(PlanOverrides.NONE.applyTo(plan(read(YAML), "basic")), "numbers", 2),
                () -> grants(overrides("{\"quotas\": {\"numbers\": 3}}").applyTo(plan(read(YAML), "basic")), "numbers", 2)));
        c.put("overrides.progressive_billing", differs(() -> PlanOverrides.NONE.applyTo(plan(read(YAML), "basic")).progressiveBilling(),
                () -> overrides("{\"progressive_billing\": {\"thresholds\": [{\"USD\": \"500.00\"}]}}").applyTo(plan(read(YAML), "basic"))
                        .progressiveBilling()));
        c.put("overrides.contracted_rates", differs(() -> usageWith(PlanOverrides.NONE),
                () -> usageWith(overrides("{\"contracted_rates\": {\"sms_rates\": [{\"match\": {\"country\": \"FR\"}, \"price\": {\"USD\": \"0.01\"}}]}}"))));
        // plan phases (issue 16 point 6): PlanPhasesScenarioTest (server) bills them over a test clock
        c.put("plans.introductory", effect(swap("introductory: { periods: 2, prices: { platform: { USD: \"2.00\" } } }\n", "# no introduction\n"), KeyObservables::phases));
        c.put("plans.introductory.periods", effect(swap("introductory: { periods: 2,", "introductory: { periods: 3,"), KeyObservables::phases));
        c.put("plans.introductory.prices", effect(swap("platform: { USD: \"2.00\" }", "platform: { USD: \"3.00\" }"), KeyObservables::phases));
        c.put("plans.term", effect(swap("term: { periods: 12, then_plan: pro }\n", "# no term\n"), KeyObservables::phases));
        c.put("plans.term.periods", effect(swap("term: { periods: 12,", "term: { periods: 6,"), KeyObservables::phases));
        c.put("plans.term.then_plan", refused(swap("then_plan: pro }", "then_plan: gold }"), CatalogProblem.UNKNOWN_REFERENCE, "plans[0].term.then_plan"));
        c.put("plans.one_time_fees", effect(swap("one_time_fees: [{ code: setup, name: Setup, amount: { USD: \"49.00\" }, on: activation }]\n", "# no fees\n"),
                KeyObservables::phases));
        c.put("plans.one_time_fees.code", refused(swap("{ code: setup, name: Setup,", "{ code: base, name: Setup,"), CatalogProblem.DUPLICATE_CODE,
                "plans[0].one_time_fees[0].code"));
        c.put("plans.one_time_fees.name", effect(swap("name: Setup,", "name: Onboarding,"), KeyObservables::phases));
        c.put("plans.one_time_fees.amount", effect(swap("amount: { USD: \"49.00\" }", "amount: { USD: \"59.00\" }"), KeyObservables::phases));
        c.put("plans.one_time_fees.on", effect(swap("on: activation }", "on: introductory_end }"), KeyObservables::phases));
        return c;
    }

    // ---- the checks

    @Test
    void everyDocumentedKeyHasACaseOrIsAListedGap() {
        Set<String> documented = DocumentedCatalogKeys.read();
        assertThat(documented).as("keys read from docs/catalog.md").hasSizeGreaterThan(100).contains("plans.trial_days", "pricing.tiers.flat_price",
                "add_ons.rental.regulatory_fees.country", "overrides.contracted_rates", "charges.metered.cut_at_month_start");
        Set<String> handled = new TreeSet<>(cases().keySet());
        handled.addAll(WIRED_IN_SERVICES.keySet());
        handled.addAll(KNOWN_GAPS.keySet());
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(handled);
        assertThat(missing).as("documented keys without a case (add one to CatalogKeysHaveEffectTest.cases), a service wiring or a known gap").isEmpty();
        Set<String> stale = new TreeSet<>(handled);
        stale.removeAll(documented);
        stale.addAll(LABELS_ONLY.stream().filter(k -> !documented.contains(k)).toList());
        assertThat(stale).as("cases or gaps for keys docs/catalog.md no longer documents").isEmpty();
    }

    @Test
    void aKeyIsEitherProvedHereOrWiredInAServiceOrAGapNeverTwo() {
        Set<String> proved = cases().keySet();
        assertThat(proved).doesNotContainAnyElementsOf(WIRED_IN_SERVICES.keySet());
        if (!KNOWN_GAPS.isEmpty()) {
            assertThat(proved).doesNotContainAnyElementsOf(KNOWN_GAPS.keySet());
            assertThat(WIRED_IN_SERVICES.keySet()).doesNotContainAnyElementsOf(KNOWN_GAPS.keySet());
        }
        assertThat(proved).containsAll(LABELS_ONLY);
    }

    @Test
    void theKeyCatalogIsValid() {
        Catalog c = read(YAML);
        assertThat(c.plans()).hasSize(3);
        assertThat(c.addOns()).hasSize(2);
    }

    @TestFactory
    Stream<DynamicTest> changingAKeyChangesAResultOrIsRefused() {
        return cases().entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), e.getValue()::run));
    }

    @TestFactory
    Stream<DynamicTest> keysWhoseEffectLivesInAServiceAreStillReadThere() {
        return WIRED_IN_SERVICES.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> {
            Path source = DocumentedCatalogKeys.document().resolveSibling("..").resolve(e.getValue()[0]).normalize();
            assertThat(Files.readString(source)).as("%s reads %s", source, e.getKey()).contains(e.getValue()[1]);
        }));
    }

    // ---- case builders

    /** The mutated catalog is valid and the observable differs from the base catalog's. */
    private static Runnable effect(String mutated, Function<Catalog, Object> observable) {
        return () -> {
            Object before = observable.apply(read(YAML));
            Object after = observable.apply(read(mutated));
            assertThat(after).as("after the change (before: %s)", before).isNotEqualTo(before);
        };
    }

    private static Runnable differs(Supplier<Object> before, Supplier<Object> after) {
        return () -> {
            Object b = before.get();
            assertThat(after.get()).as("with the override (without: %s)", b).isNotEqualTo(b);
        };
    }

    /** A pure label: the catalog the API serves back shows the new value (and nothing else reads it). */
    private static Runnable label(String mutated) {
        return effect(mutated, KeyObservables::served);
    }

    private static Runnable refused(String mutated, String code, String path) {
        return () -> {
            InvalidCatalogException e = catchThrowableOfType(InvalidCatalogException.class, () -> read(mutated));
            assertThat(e).as("the change must be refused with %s at %s", code, path).isNotNull();
            assertThat(e.problems()).as(e.problems().toString())
                    .anySatisfy(p -> {
                        assertThat(p.code()).isEqualTo(code);
                        assertThat(p.path()).isEqualTo(path);
                    });
        };
    }

    // ---- observables that need the overrides

    private static Object recurringWith(PlanOverrides o) {
        Catalog c = read(YAML);
        var p = o.applyTo(plan(c, "basic"));
        var sub = subscription(p, BillingInterval.MONTH, Alignment.ANNIVERSARY, MARCH_1);
        return text(RecurringBilling.linesFor(sub, p, DOLLAR, sub.schedule().firstPeriod(), ROUNDING));
    }

    private static Object usageWith(PlanOverrides o) {
        Catalog c = read(YAML);
        return usageLines(c, o.applyTo(plan(c, "basic")), o);
    }

    /** What the minutes charge bills for 30 minutes past the allowance (18.00 at its price, where the 10.00 cap bites). */
    private static Object thirtyMinutesOver(Catalog c) {
        MeteredCharge m = (MeteredCharge) plan(c, "basic").charge("minutes").orElseThrow();
        return UsageRating.rate(d("1800"), d("0"), m.pricing(), m.overage(), USD, ROUNDING).amount();
    }
}

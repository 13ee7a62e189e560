package dev.accrue.adapters.catalog;

import dev.accrue.core.catalog.Catalog;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog {@link CatalogKeysHaveEffectTest} mutates: every documented key once, with values that make each
 * key's effect observable (usage past allowances, a cap that can bite, a stub period). Kept in parts so a case can
 * drop a whole top-level list.
 */
final class KeyCatalog {
    static final String HEADER = """
            name: keys
            version: 1
            effective_from: 2026-01-01
            currencies: [USD]
            description: Every documented key, once
            """;
    static final String METRICS = """
            metrics:
              - { code: calls, name: Call time, aggregation: sum, field: seconds, unit: second }
              - { code: sms, name: Texts sent, aggregation: count, unit: segment, filters: { channel: [platform] }, group_by: [country] }
              - { code: requests, aggregation: sum, field: n, unit: request }
              - { code: contacts, aggregation: latest, field: count, unit: contact }
              - { code: emails, aggregation: count, unit: email }
              - { code: payments, aggregation: sum, field: amount, unit: USD }
            """;
    static final String RATE_TABLES = """
            rate_tables:
              - code: sms_rates
                name: SMS rates
                dimensions: [country]
                unit: segment
                per_units: 1
                rows:
                  - { match: { country: FR }, price: { USD: "0.05" } }
                default_price: { USD: "0.10" }
            """;
    static final String FEATURES = """
            features:
              - { code: boosted, name: Boosted queuing, type: boolean }
              - { code: concurrent, name: Concurrent calls, type: limit, unit: call }
              - { code: numbers, name: Phone numbers, type: quota, unit: number }
            """;
    static final String PRODUCTS = """
            products:
              - { code: voice, name: Voice, description: Calls and texts }
            """;
    static final String PLANS = """
            plans:
              - code: basic
                product: voice
                name: Basic
                tier: 1
                description: The entry plan
                intervals: [{ interval: month }, { interval: quarter, discount_percent: 10 }, { interval: year }]
                alignment: anniversary
                trial_days: 14
                invoicing: standard
                charges:
                  - { type: recurring, code: base, name: Base fee, monthly_price: { USD: "30.00" }, interval_prices: { year: { USD: "300.00" } }, proration: by_day, timing: in_advance }
                  - type: metered
                    code: minutes
                    name: Minutes
                    metric: calls
                    allowances: [{ quantity: 600, reset: billing_period }]
                    pricing: { model: per_unit, unit_price: { USD: "0.60" }, per_units: 60 }
                    overage: { policy: charge_up_to_cap, cap: { USD: "10.00" } }
                    timing: in_arrears
                    invoice_cadence: billing_period
                    cut_at_month_start: false
                  - { type: metered, code: texts, name: Texts, metric: sms, rate_table: sms_rates }
                  - type: metered
                    code: api
                    name: API
                    metric: requests
                    pricing:
                      model: graduated
                      tiers:
                        - { up_to: 100, unit_price: { USD: "0.10" }, flat_price: { USD: "1.00" } }
                        - { unit_price: { USD: "0.05" } }
                    minimum_spend: { USD: "40.00" }
                  - type: metered
                    code: card_fees
                    metric: payments
                    pricing: { model: percentage, rate: "2.9", fixed_fee: { USD: "0.30" }, free_amount: "100", free_transactions: 1 }
                  - type: metered
                    code: payout_fees
                    metric: payments
                    pricing: { model: graduated_percentage, tiers: [{ up_to: 500, rate: "1" }, { rate: "0.5" }] }
                  - { type: recurring, code: platform, name: Platform, monthly_price: { USD: "5.00" }, per_unit_quantity: false }
                minimum_commitment: { USD: "120.00" }
                entitlements:
                  features: { boosted: false }
                  limits: { concurrent: 2 }
                  quotas: { numbers: 1 }
                change_policy: { upgrade: immediate, upgrade_invoicing: immediate, downgrade: end_of_period }
                lock_in: { months: 12 }
                cancellation: { effective: end_of_period, refund: none }
                usage_alerts: [{ metric: calls, percents: [75, 90, 95, 100], amounts: [1200] }]
                introductory: { periods: 2, prices: { platform: { USD: "2.00" } } }
                term: { periods: 12, then_plan: pro }
                one_time_fees: [{ code: setup, name: Setup, amount: { USD: "49.00" }, on: activation }]
              - code: pro
                product: voice
                name: Pro
                tier: 2
                intervals: [{ interval: month }]
                charges: [{ type: recurring, code: base, name: Pro fee, monthly_price: { USD: "90.00" } }]
                entitlements: { features: { boosted: true } }
                change_policy: { upgrade: next_period, upgrade_invoicing: next_invoice }
              - code: contacts_plan
                product: voice
                name: Contacts
                tier: 3
                intervals: [{ interval: month }]
                charges:
                  - type: counted
                    code: contacts
                    name: Contacts
                    metric: contacts
                    tiers: [{ up_to: 1000, flat_price: { USD: "49.00" } }, { flat_price: { USD: "99.00" } }]
                    minimum_is_last_invoiced: true
                    derived_allowances: [{ metric: emails, per_unit: 4, reset: month }]
                  - type: metered
                    code: email_sends
                    name: Emails
                    metric: emails
                    pricing: { model: package, package_size: 1000, package_price: { USD: "1.00" } }
            """;
    static final String ADD_ONS = """
            add_ons:
              - code: minutes_pack
                name: Minutes pack
                type: package
                description: 100 more minutes every month
                available_on: [basic]
                group: minutes
                rank: 1
                price: { USD: "20.00" }
                up_front_fee: { USD: "2.00" }
                proration: never
                alignment: calendar
                can_start_next_period: true
                grants: [{ metric: calls, quantity: 6000, reset: month }]
                includes: [voice]
                expiry: end_of_billing_period
              - code: numbers_rental
                name: Phone number
                type: rental
                rental:
                  quota: numbers
                  attributes: [country, type]
                  options:
                    - { match: { country: US, type: local }, monthly_fee: { USD: "1.00" }, setup_fee: { USD: "1.00" } }
                  first_item_trial_days: 7
                  hold_grace_days: 7
                  regulatory_fees: [{ country: US, name: USF, monthly_fee: { USD: "0.25" } }]
            """;
    static final String YAML = HEADER + METRICS + RATE_TABLES + FEATURES + PRODUCTS + PLANS + ADD_ONS;

    private KeyCatalog() {
    }

    private static Catalog base;

    /** Reads a catalog; the (immutable) base is read once. */
    static Catalog read(String yaml) {
        if (yaml.equals(YAML)) {
            if (base == null) {
                base = CatalogYaml.read("keys.yaml", YAML);
            }
            return base;
        }
        return CatalogYaml.read("keys.yaml", yaml);
    }

    /** The base with {@code from} (which must occur exactly once, so the mutation is the one intended) replaced. */
    static String swap(String from, String to) {
        int at = YAML.indexOf(from);
        assertThat(at).as("'%s' occurs in the key catalog", from).isNotNegative();
        assertThat(YAML.indexOf(from, at + 1)).as("'%s' occurs only once in the key catalog", from).isNegative();
        return YAML.replace(from, to);
    }

    /** The base without one of its parts. */
    static String without(String part) {
        assertThat(YAML).contains(part);
        return YAML.replace(part, "");
    }
}

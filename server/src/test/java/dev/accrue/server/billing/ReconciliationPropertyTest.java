package dev.accrue.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Sandbox;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reconciliation invariant of issue 9: over random lifecycles (trial or not, ended by the operator or
 * cancelled at period end) and random event streams (on time, late, corrected, cancelled; monthly and weekly
 * charges; an add-on's charge), once everything is closed, what all documents billed for each charge equals
 * what the catalog says the stored events and the served periods cost — computed here independently, window
 * by window, from the events as they finally stand. The calls charge has a spending minimum and the plan a minimum
 * commitment (issue 16), both prorated by day on the periods a trial or an end cuts and re-settled when late events
 * change a billed period; card payments are priced by percentage (a share of their amounts past a free amount, a fixed
 * fee per transaction past a free one), and transfers by a percentage fee bounded per transaction (each transfer's own fee
 * between a minimum and a maximum, priced from the amounts kept at ingestion); seats are a persistent metric (units added and
 * removed by id, carried across periods, each billed for the seconds it was held, a late or corrected add/remove re-pricing
 * every later window) and GPU minutes a sum with negative adjustments (a window below zero bills nothing); the subscription has 2 seats, which multiply the base fee and not the platform fee
 * ({@code per_unit_quantity: false}). Usage is billed progressively (at 1.00, then every 2.00 of a period's usage): each
 * progressive invoice is deducted from a later one, so per charge they add nothing to what the period-end invoices bill.
 * Plan phases (issue 16 point 6): the base fee costs 4.00 instead of 10.00 until the first full month after the first billing
 * day has been served (a calendar stub before it included), and a 3.00 setup fee is billed once.
 */
class ReconciliationPropertyTest {
    static final String CATALOG = """
            name: reconcile
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            metrics:
              - { code: call_seconds, aggregation: sum, field: duration_seconds, unit: second }
              - { code: sms_segments, aggregation: sum, field: segments, unit: segment }
              - { code: payments, aggregation: sum, field: amount, unit: USD }
              - { code: transfers, aggregation: sum, field: amount, unit: USD }
              - { code: seats, aggregation: persistent, field: user, unit: seat }
              - { code: gpu, aggregation: sum, field: minutes, unit: minute, allow_negative: true }
            products:
              - { code: p, name: P }
            plans:
              - code: plan
                product: p
                name: Plan
                tier: 1
                alignment: calendar
                trial_days: TRIAL
                trial_usage: billed
                intervals: [{ interval: month }]
                minimum_commitment: { USD: "30.00" }
                introductory: { periods: 1, prices: { base: { USD: "4.00" } } }
                one_time_fees: [{ code: setup, name: Setup, amount: { USD: "3.00" } }]
                progressive_billing: { thresholds: [{ USD: "1.00" }], recurring: { USD: "2.00" } }
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "10.00" }, timing: in_arrears }
                  - { type: recurring, code: platform, name: Platform, monthly_price: { USD: "5.00" }, timing: in_arrears, per_unit_quantity: false }
                  - { type: metered, code: calls, name: Calls, metric: call_seconds, allowances: [{ quantity: 30 }],
                      pricing: { model: per_unit, unit_price: { USD: "0.01" } }, minimum_spend: { USD: "2.00" } }
                  - { type: metered, code: card, name: Card fees, metric: payments,
                      pricing: { model: percentage, rate: "2.5", fixed_fee: { USD: "0.30" }, free_amount: "10", free_transactions: 1 } }
                  - { type: metered, code: wire, name: Transfer fees, metric: transfers,
                      pricing: { model: percentage, rate: "2", fixed_fee: { USD: "0.30" }, per_transaction_min: { USD: "0.50" },
                                 per_transaction_max: { USD: "1.50" } } }
                  - { type: metered, code: seat_fees, name: Seats, metric: seats, pricing: { model: per_unit, unit_price: { USD: "1.00" } } }
                  - { type: metered, code: gpu_time, name: GPU, metric: gpu, pricing: { model: per_unit, unit_price: { USD: "0.01" } } }
            add_ons:
              - code: texts
                name: Texts
                type: package
                price: { USD: "0.00" }
                charges:
                  - { type: metered, code: sms, name: Texts, metric: sms_segments, pricing: { model: per_unit, unit_price: { USD: "0.05" } },
                      invoice_cadence: week, cut_at_month_start: true }
            """;
    static final BigDecimal ALLOWANCE = BigDecimal.valueOf(30);
    static final BigDecimal CALLS_MINIMUM = new BigDecimal("2.00");
    static final BigDecimal COMMITMENT = new BigDecimal("30.00");

    static final int CALL = 0;
    static final int TEXT = 1;
    static final int PAYMENT = 2;
    static final int TRANSFER = 3;
    static final int SEAT = 4;
    static final int GPU = 5;

    /** One event (a call, a text or a card payment): occurs on {@code day}, reported {@code delay} days later, maybe corrected or cancelled later still. */
    record Event(int kind, int day, int quantity, int delay, int correctedAfter, int newQuantity, int cancelledAfter) {
    }

    /** A lifecycle: start day in June 2026, trial length, the day (after the trial) it is ended or cancelled, and its usage. */
    record Scenario(int startDay, int trialDays, boolean cancelAtPeriodEnd, int endAfter, List<Event> events) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Event> event = Combinators.combine(Arbitraries.of(CALL, TEXT, PAYMENT, TRANSFER, SEAT, GPU), Arbitraries.integers().between(0, 69),
                Arbitraries.integers().between(1, 90), Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 25)),
                Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.integers().between(0, 4)), Arbitraries.integers().between(1, 90),
                Arbitraries.oneOf(Arbitraries.just(-1), Arbitraries.just(-1), Arbitraries.integers().between(0, 4)))
                .as(Event::new);
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.of(0, 7), Arbitraries.of(true, false),
                Arbitraries.integers().between(1, 45), event.list().ofMinSize(4).ofMaxSize(22)).as(Scenario::new);
    }

    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void whatAllDocumentsBilledEqualsWhatTheCatalogSaysTheEventsAndPeriodsCost(@ForAll("scenarios") Scenario scenario) {
        LocalDate start = LocalDate.of(2026, 6, scenario.startDay());
        LocalDate anchor = start.plusDays(scenario.trialDays());
        LocalDate actionDay = anchor.plusDays(scenario.endAfter());
        LocalDate end = scenario.cancelAtPeriodEnd() ? actionDay.withDayOfMonth(1).plusMonths(1) : actionDay;

        Sandbox s = new Sandbox("reconcile", CATALOG.replace("TRIAL", String.valueOf(scenario.trialDays())), start + "T08:00:00Z");
        String c = s.customer("Reconciled Co", "USD", "UTC");
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "plan", "quantity", 2)).get("id").asText();
        assertThat(s.api.post("/v1/subscriptions/" + sub + "/add_ons", Map.of("add_on", "texts")).status()).isEqualTo(201);

        // what happens on which day: reports, corrections, cancellations — and the events' final quantities
        TreeMap<LocalDate, List<Runnable>> actions = new TreeMap<>();
        Map<String, Event> finalEvents = new HashMap<>();
        Map<String, LocalDate> occurredOn = new HashMap<>();
        Set<String> cancelled = new HashSet<>();
        Map<String, Integer> finalQuantity = new HashMap<>();
        int n = 0;
        for (Event e : scenario.events()) {
            LocalDate day = start.plusDays(e.day());
            if (!day.isBefore(end)) {
                continue;
            }
            String id = "e" + n++;
            LocalDate reported = min(day.plusDays(e.delay()), day.plusDays(30));
            actions.computeIfAbsent(reported, k -> new ArrayList<>()).add(() ->
                    assertThat(s.api.post("/v1/events", event(id, c, e.kind(), day, e.quantity())).text("status")).as(id).isEqualTo("accepted"));
            finalEvents.put(id, e);
            occurredOn.put(id, day);
            finalQuantity.put(id, e.quantity());
            LocalDate after = reported;
            if (e.correctedAfter() >= 0) {
                after = min(reported.plusDays(e.correctedAfter()), day.plusDays(30));
                actions.computeIfAbsent(after, k -> new ArrayList<>()).add(() -> assertThat(s.api.patch("/v1/events/" + id,
                        Map.of("properties", properties(e.kind(), e.newQuantity()))).status()).as("correct " + id).isEqualTo(200));
                finalQuantity.put(id, e.newQuantity());
            }
            if (e.cancelledAfter() >= 0) {
                LocalDate at = min(after.plusDays(e.cancelledAfter()), day.plusDays(30));
                actions.computeIfAbsent(at, k -> new ArrayList<>()).add(() ->
                        assertThat(s.api.delete("/v1/events/" + id).status()).as("cancel " + id).isEqualTo(200));
                finalQuantity.put(id, 0);
                cancelled.add(id);
            }
        }
        actions.computeIfAbsent(actionDay, k -> new ArrayList<>()).add(() -> assertThat(s.api.post("/v1/subscriptions/" + sub
                + (scenario.cancelAtPeriodEnd() ? "/cancel" : "/end"), Map.of()).status()).as("end").isEqualTo(200));
        for (var day : actions.entrySet()) {
            if (day.getKey().isAfter(start)) {
                s.advanceTo(day.getKey() + "T08:00:00Z");
            }
            day.getValue().forEach(Runnable::run);
        }
        s.advanceTo(max(end, actions.lastKey()).plusDays(40) + "T08:00:00Z");

        Map<String, BigDecimal> billed = billedPerCharge(s, sub);
        Map<String, BigDecimal> expected = new TreeMap<>();
        expected.put("base", BigDecimal.ZERO);
        expected.put("platform", BigDecimal.ZERO);
        expected.put("calls", callCost(start, anchor, finalEvents, occurredOn, finalQuantity)); // the trial's calls: no minimum there
        expected.put("minimum_commitment", BigDecimal.ZERO);
        expected.put("setup", new BigDecimal("3.00")); // billing always starts: the end comes at least a day after the anchor
        LocalDate introductionEnds = anchor.getDayOfMonth() == 1 ? anchor.plusMonths(1) : anchor.withDayOfMonth(1).plusMonths(2);
        expected.put("card", cardFees(start, anchor, finalEvents, occurredOn, finalQuantity, cancelled));
        expected.put("wire", transferFees(start, anchor, finalEvents, occurredOn, finalQuantity, cancelled));
        expected.put("seat_fees", seatFees(start, anchor, finalEvents, occurredOn, finalQuantity, cancelled));
        expected.put("gpu_time", gpuCost(start, anchor, finalEvents, occurredOn, finalQuantity, cancelled));
        for (LocalDate from = anchor; from.isBefore(end); from = from.withDayOfMonth(1).plusMonths(1)) {
            LocalDate to = min(from.withDayOfMonth(1).plusMonths(1), end);
            // a calendar period cut by the trial's end or the subscription's end is prorated against its whole month
            // 2 seats × 10.00 (× 4.00 while the introduction runs), rounded once
            BigDecimal base = prorated(BigDecimal.valueOf(from.isBefore(introductionEnds) ? 8 : 20), from, to);
            BigDecimal platform = prorated(BigDecimal.valueOf(5), from, to); // not per seat
            BigDecimal calls = callCost(from, to, finalEvents, occurredOn, finalQuantity).max(prorated(CALLS_MINIMUM, from, to));
            BigDecimal card = cardFees(from, to, finalEvents, occurredOn, finalQuantity, cancelled);
            BigDecimal wire = transferFees(from, to, finalEvents, occurredOn, finalQuantity, cancelled);
            BigDecimal seats = seatFees(from, to, finalEvents, occurredOn, finalQuantity, cancelled);
            BigDecimal gpu = gpuCost(from, to, finalEvents, occurredOn, finalQuantity, cancelled);
            BigDecimal commitmentTrueUp = prorated(COMMITMENT, from, to).subtract(base).subtract(platform).subtract(calls).subtract(card)
                    .subtract(wire).subtract(seats).subtract(gpu).max(BigDecimal.ZERO);
            expected.merge("seat_fees", seats, BigDecimal::add);
            expected.merge("gpu_time", gpu, BigDecimal::add);
            expected.merge("card", card, BigDecimal::add);
            expected.merge("wire", wire, BigDecimal::add);
            expected.merge("base", base, BigDecimal::add);
            expected.merge("platform", platform, BigDecimal::add);
            expected.merge("calls", calls, BigDecimal::add);
            expected.merge("minimum_commitment", commitmentTrueUp, BigDecimal::add);
        }
        expected.put("sms", finalEvents.entrySet().stream().filter(e -> e.getValue().kind() == TEXT)
                .map(e -> BigDecimal.valueOf(finalQuantity.get(e.getKey())).multiply(new BigDecimal("0.05"))).reduce(BigDecimal.ZERO, BigDecimal::add));
        expected.replaceAll((k, v) -> v.setScale(2, RoundingMode.UNNECESSARY));
        assertThat(billed).as("%s", scenario).isEqualTo(expected);
    }

    /** A monthly amount for the days [from, to) of one calendar month, prorated by day against the whole month and rounded once. */
    private static BigDecimal prorated(BigDecimal monthly, LocalDate from, LocalDate to) {
        long served = ChronoUnit.DAYS.between(from, to);
        return monthly.multiply(BigDecimal.valueOf(served)).divide(BigDecimal.valueOf(from.lengthOfMonth()), 2, RoundingMode.HALF_UP);
    }

    /** Calls of one window [from, to) past its 30 included seconds, at 0.01 a second. */
    private static BigDecimal callCost(LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                       Map<String, Integer> quantity) {
        if (!from.isBefore(to)) {
            return BigDecimal.ZERO; // no trial
        }
        BigDecimal used = events.entrySet().stream().filter(e -> e.getValue().kind() == CALL)
                .filter(e -> { LocalDate d = occurredOn.get(e.getKey()); return !d.isBefore(from) && d.isBefore(to); })
                .map(e -> BigDecimal.valueOf(quantity.get(e.getKey()))).reduce(BigDecimal.ZERO, BigDecimal::add);
        return used.subtract(ALLOWANCE).max(BigDecimal.ZERO).multiply(new BigDecimal("0.01"));
    }

    private static Map<String, BigDecimal> billedPerCharge(Sandbox s, String sub) {
        Map<String, BigDecimal> out = new TreeMap<>(Map.of("base", BigDecimal.ZERO, "calls", BigDecimal.ZERO, "sms", BigDecimal.ZERO,
                "minimum_commitment", BigDecimal.ZERO, "card", BigDecimal.ZERO, "platform", BigDecimal.ZERO, "setup", BigDecimal.ZERO,
                "wire", BigDecimal.ZERO, "seat_fees", BigDecimal.ZERO, "gpu_time", BigDecimal.ZERO));
        String cursor = null;
        do {
            JsonNode page = s.api.get("/v1/invoices?limit=100&subscription_id=" + sub + (cursor == null ? "" : "&cursor=" + cursor)).json();
            for (JsonNode invoice : page.get("data")) {
                for (JsonNode line : invoice.get("lines")) {
                    String charge = line.get("charge_code").asText();
                    if (out.containsKey(charge)) {
                        out.merge(charge, new BigDecimal(line.get("amount").asText()), BigDecimal::add);
                    }
                }
            }
            cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
        } while (cursor != null);
        out.replaceAll((k, v) -> v.setScale(2, RoundingMode.UNNECESSARY));
        return out;
    }

    private static Map<String, Object> event(String id, String customer, int kind, LocalDate day, int quantity) {
        String metric = switch (kind) {
            case CALL -> "call_seconds";
            case TEXT -> "sms_segments";
            case TRANSFER -> "transfers";
            case SEAT -> "seats";
            case GPU -> "gpu";
            default -> "payments";
        };
        return Map.of("event_id", id, "customer_id", customer, "metric", metric, "timestamp", day + "T07:00:00Z", "properties", properties(kind, quantity));
    }

    private static Map<String, Object> properties(int kind, int quantity) {
        return switch (kind) {
            case CALL -> Map.of("duration_seconds", quantity);
            case TEXT -> Map.of("segments", quantity);
            case SEAT -> Map.of("user", "u" + quantity % 3, "operation", quantity % 2 == 1 ? "add" : "remove");
            case GPU -> Map.of("minutes", quantity - 45);
            default -> Map.of("amount", quantity);
        };
    }

    /** Card fees of one window [from, to): 2.5% of the payments' amount past 10, and 0.30 for each payment past the first, rounded once. */
    private static BigDecimal cardFees(LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                       Map<String, Integer> quantity, Set<String> cancelled) {
        if (!from.isBefore(to)) {
            return BigDecimal.ZERO;
        }
        List<String> payments = events.entrySet().stream().filter(e -> e.getValue().kind() == PAYMENT && !cancelled.contains(e.getKey()))
                .filter(e -> { LocalDate d = occurredOn.get(e.getKey()); return !d.isBefore(from) && d.isBefore(to); }).map(Map.Entry::getKey).toList();
        BigDecimal amount = payments.stream().map(id -> BigDecimal.valueOf(quantity.get(id))).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal share = amount.subtract(BigDecimal.TEN).max(BigDecimal.ZERO).multiply(new BigDecimal("0.025"));
        BigDecimal fees = new BigDecimal("0.30").multiply(BigDecimal.valueOf(Math.max(0, payments.size() - 1)));
        return share.add(fees).setScale(2, RoundingMode.HALF_UP);
    }

    /** Transfer fees of one window [from, to): each transfer 2% of its amount + 0.30, within [0.50, 1.50], summed and rounded once. */
    private static BigDecimal transferFees(LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                           Map<String, Integer> quantity, Set<String> cancelled) {
        return events.entrySet().stream().filter(e -> e.getValue().kind() == TRANSFER && !cancelled.contains(e.getKey()))
                .filter(e -> { LocalDate d = occurredOn.get(e.getKey()); return !d.isBefore(from) && d.isBefore(to); })
                .map(e -> BigDecimal.valueOf(quantity.get(e.getKey())).multiply(new BigDecimal("0.02")).add(new BigDecimal("0.30"))
                        .max(new BigDecimal("0.50")).min(new BigDecimal("1.50")))
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.HALF_UP);
    }

    /**
     * Seat fees of one window [from, to) at 1.00 a seat-window: each unit (u0, u1, u2) is held from an add until its next
     * event, all events at 07:00 UTC of their day ordered by time then id; its held seconds over the window's seconds, at 12
     * decimals, summed over units, priced and rounded once.
     */
    private static BigDecimal seatFees(LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                       Map<String, Integer> quantity, Set<String> cancelled) {
        if (!from.isBefore(to)) {
            return BigDecimal.ZERO;
        }
        long windowStart = from.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        long windowEnd = to.atStartOfDay().toEpochSecond(ZoneOffset.UTC);
        Map<String, TreeMap<String, Boolean>> byUnit = new TreeMap<>(); // unit → (sortable time + id → adds)
        events.forEach((id, e) -> {
            if (e.kind() == SEAT && !cancelled.contains(id)) {
                int q = quantity.get(id);
                long at = occurredOn.get(id).atTime(7, 0).toEpochSecond(ZoneOffset.UTC);
                byUnit.computeIfAbsent("u" + q % 3, k -> new TreeMap<>()).put(String.format("%012d|%s", at, id), q % 2 == 1);
            }
        });
        long held = 0;
        for (TreeMap<String, Boolean> timeline : byUnit.values()) {
            List<Map.Entry<String, Boolean>> ops = new ArrayList<>(timeline.entrySet());
            for (int i = 0; i < ops.size(); i++) {
                if (!ops.get(i).getValue()) {
                    continue;
                }
                long start = Long.parseLong(ops.get(i).getKey().substring(0, 12));
                long end = i + 1 < ops.size() ? Long.parseLong(ops.get(i + 1).getKey().substring(0, 12)) : Long.MAX_VALUE;
                held += Math.max(0, Math.min(end, windowEnd) - Math.max(start, windowStart));
            }
        }
        return BigDecimal.valueOf(held).divide(BigDecimal.valueOf(windowEnd - windowStart), 12, RoundingMode.HALF_UP).setScale(2, RoundingMode.HALF_UP);
    }

    /** GPU minutes of one window [from, to): their sum, negative adjustments included, at 0.01 a minute, never below zero. */
    private static BigDecimal gpuCost(LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                      Map<String, Integer> quantity, Set<String> cancelled) {
        if (!from.isBefore(to)) {
            return BigDecimal.ZERO;
        }
        BigDecimal sum = events.entrySet().stream().filter(e -> e.getValue().kind() == GPU && !cancelled.contains(e.getKey()))
                .filter(e -> { LocalDate d = occurredOn.get(e.getKey()); return !d.isBefore(from) && d.isBefore(to); })
                .map(e -> BigDecimal.valueOf(quantity.get(e.getKey()) - 45)).reduce(BigDecimal.ZERO, BigDecimal::add);
        return sum.max(BigDecimal.ZERO).multiply(new BigDecimal("0.01")).setScale(2, RoundingMode.HALF_UP);
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}

package dev.accrue.server.billing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.accrue.server.support.Fixtures;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

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
 * every later window) and GPU minutes a sum with negative adjustments (a window below zero bills nothing); resold calls
 * carry their own price ({@code model: dynamic}) and a volume is priced by graduated percentage with a flat fee for reaching
 * its second tier; the subscription has 2 seats, which multiply the base fee and not the platform fee
 * ({@code per_unit_quantity: false}). Usage is billed progressively (at 1.00, then every 2.00 of a period's usage): each
 * progressive invoice is deducted from a later one, so per charge they add nothing to what the period-end invoices bill.
 * Plan phases (issue 16 point 6): the base fee costs 4.00 instead of 10.00 until the first full month after the first billing
 * day has been served (a calendar stub before it included), and a 3.00 setup fee is billed once.
 * A second property covers the later kinds of issue 16 — credit wallets, price migrations, billing cycle day changes and
 * one-off charges — document by document (see {@link #oneOffsWalletCreditsPriceMigrationsAndCycleDayChangesInvoiceWhatTheRulesSay}).
 */
class ReconciliationPropertyTest {
    /** Counts the tries of the first property, so that half of them bill a consolidated child. */
    private static final AtomicInteger TRIES = new AtomicInteger();
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
              - { code: resold, aggregation: sum, field: price, unit: USD }
              - { code: volume, aggregation: sum, field: amount, unit: USD }
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
                  - { type: metered, code: resale, name: Resold calls, metric: resold, pricing: { model: dynamic } }
                  - type: metered
                    code: volume_fees
                    name: Volume fees
                    metric: volume
                    pricing:
                      model: graduated_percentage
                      tiers:
                        - { up_to: 100, rate: "3" }
                        - { rate: "1", flat_price: { USD: "0.50" } }
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
    static final int RESALE = 6;
    static final int VOLUME = 7;

    /** One event (a call, a text or a card payment): occurs on {@code day}, reported {@code delay} days later, maybe corrected or cancelled later still. */
    record Event(int kind, int day, int quantity, int delay, int correctedAfter, int newQuantity, int cancelledAfter) {
    }

    /** A lifecycle: start day in June 2026, trial length, the day (after the trial) it is ended or cancelled, and its usage. */
    record Scenario(int startDay, int trialDays, boolean cancelAtPeriodEnd, int endAfter, List<Event> events) {
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Event> event = Combinators.combine(Arbitraries.of(CALL, TEXT, PAYMENT, TRANSFER, SEAT, GPU, RESALE, VOLUME), Arbitraries.integers().between(0, 69),
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
        // every other try the customer is a consolidated child (issue 16 point 13): every document of its subscription is
        // then a section of its parent's invoices, which must bill exactly the same
        String parent = TRIES.getAndIncrement() % 2 == 0 ? s.customer("Reconciled Parent", "USD", "UTC") : null;
        String c = parent == null ? s.customer("Reconciled Co", "USD", "UTC") : consolidatedChild(s, parent);
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
            actions.computeIfAbsent(reported, k -> new ArrayList<>()).add(() -> {
                var r = s.api.post("/v1/events", event(id, c, e.kind(), day, e.quantity()));
                assertThat(r.text("status")).as("%s %s", id, r).isEqualTo("accepted");
            });
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

        Map<String, BigDecimal> billed = billedPerCharge(s, sub, parent);
        if (parent != null) {
            assertThat(s.api.get("/v1/invoices?limit=100&subscription_id=" + sub).json().get("data")).as("no document of the child's own").isEmpty();
        }
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
        expected.put("resale", resale(start, anchor, finalEvents, occurredOn, finalQuantity));
        expected.put("volume_fees", volumeFees(start, anchor, finalEvents, occurredOn, finalQuantity));
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
            BigDecimal resale = resale(from, to, finalEvents, occurredOn, finalQuantity);
            BigDecimal volume = volumeFees(from, to, finalEvents, occurredOn, finalQuantity);
            BigDecimal commitmentTrueUp = prorated(COMMITMENT, from, to).subtract(base).subtract(platform).subtract(calls).subtract(card)
                    .subtract(wire).subtract(seats).subtract(gpu).subtract(resale).subtract(volume).max(BigDecimal.ZERO);
            expected.merge("resale", resale, BigDecimal::add);
            expected.merge("volume_fees", volume, BigDecimal::add);
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

    static final String RECENT_V1 = """
            name: reconcile-recent
            version: 1
            effective_from: 2020-01-01
            currencies: [USD]
            products:
              - { code: p, name: P }
            plans:
              - code: team
                product: p
                name: Team
                alignment: calendar
                intervals: [{ interval: month }, { interval: year, discount_percent: 10 }]
                charges:
                  - { type: recurring, code: base, name: Base, monthly_price: { USD: "30.00" } }
            """;
    static final String RECENT_V2 = RECENT_V1.replace("version: 1", "version: 2").replace("effective_from: 2020-01-01", "effective_from: 2026-07-01")
            .replace("\"30.00\"", "\"36.00\"");
    static final BigDecimal CREDIT_RATE = new BigDecimal("0.05");

    /** A one-off charge on June 1 + {@code day} days of {@code cents}, on the next invoice or its own (then maybe voided at once). */
    record OneOff(int day, int cents, boolean nextInvoice, boolean voided) {
    }

    /**
     * Issue 16's later kinds of charges: a credit wallet with {@code granted} free credits expiring at noon of June 1 +
     * {@code expiryDay} and {@code paid} ones that never expire (0.05 each); a price migration to 36.00 decided on June 1 +
     * {@code decisionDay} with {@code noticeDays} of notice; asked on June 1 + {@code cycleChangeDay}, a change of the billing
     * cycle day to {@code newCycleDay} or, when that is 1 (the day in force), a move to yearly billing at period end, or when it
     * is 0 a move to yearly billing now (issue 16 point 8); one-off charges, the last of them voided at once.
     */
    record Recent(int granted, int expiryDay, int paid, int decisionDay, int noticeDays, int cycleChangeDay, int newCycleDay, List<OneOff> oneOffs) {
        boolean yearly() {
            return newCycleDay == 1;
        }

        boolean yearlyNow() {
            return newCycleDay == 0;
        }
    }

    @Provide
    Arbitrary<Recent> recentScenarios() {
        Arbitrary<OneOff> oneOff = Combinators.combine(Arbitraries.integers().between(1, 140), Arbitraries.integers().between(100, 6000),
                Arbitraries.of(true, false), Arbitraries.of(true, false, false)).as(OneOff::new);
        // every run has each kind: a migration, a change of day, both kinds of credits and at least one voided invoice
        Arbitrary<OneOff> voided = Combinators.combine(Arbitraries.integers().between(1, 140), Arbitraries.integers().between(100, 6000))
                .as((day, cents) -> new OneOff(day, cents, false, true));
        Arbitrary<List<OneOff>> oneOffs = Combinators.combine(oneOff.list().ofMaxSize(5), voided).as((list, v) -> {
            List<OneOff> all = new ArrayList<>(list);
            all.add(v);
            return all;
        });
        return Combinators.combine(Arbitraries.integers().between(10, 60).map(n -> n * 10), Arbitraries.integers().between(3, 150),
                Arbitraries.integers().between(40, 200).map(n -> n * 10), Arbitraries.integers().between(1, 25),
                Arbitraries.integers().between(0, 60), Arbitraries.integers().between(1, 100),
                Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.just(1), Arbitraries.integers().between(2, 28)), oneOffs).as(Recent::new);
    }

    /**
     * Over a random run of June to early November, every document the customer got equals, line by line and to the cent, what
     * the rules say, computed here independently day by day: the base fee is 30.00 a month, 36.00 for periods opening on or
     * after the first boundary on or after the later of July 1 and the decision day + the notice; a new cycle day takes effect at
     * the first boundary after it was asked, with a bridge to that day priced by day against the whole month it cuts; a move to
     * yearly billing takes effect there too, a year at twelve months' price less 10 %; a move to yearly billing now cuts the
     * paid month on its day, gives back its unused days (the change day counted) and bills at once the year from that day to
     * the 1st of the same month a year on, priced by day against that whole year, with what was parked; a one-off
     * charge is its own invoice or joins the first renewal after it; each invoice is paid by the wallet as far as it goes —
     * granted credits first while not expired at the issue instant, then paid ones, each lot what it is worth — and a voided
     * invoice gives its credits back to their lots, so the wallet ends with what the rules leave.
     */
    @Property(tries = 6, shrinking = ShrinkingMode.OFF)
    void oneOffsWalletCreditsPriceMigrationsAndCycleDayChangesInvoiceWhatTheRulesSay(@ForAll("recentScenarios") Recent r) {
        LocalDate start = LocalDate.of(2026, 6, 1);
        LocalDate horizon = LocalDate.of(2026, 11, 5);
        Sandbox s = new Sandbox("reconcile-recent", RECENT_V1, start + "T08:00:00Z");
        String c = s.customer("Recent Co", "USD", "UTC");
        Instant expiry = start.plusDays(r.expiryDay()).atTime(12, 0).toInstant(ZoneOffset.UTC);
        String wallet = "/v1/customers/" + c + "/credit_wallets/"
                + s.api.post("/v1/customers/" + c + "/credit_wallets", Map.of("name", "Credits", "unit", "credits", "rate", "0.05")).text("id");
        if (r.granted() > 0) {
            assertThat(s.api.post(wallet + "/grants", Map.of("credits", String.valueOf(r.granted()), "expires_at", expiry.toString())).status()).isEqualTo(201);
        }
        if (r.paid() > 0) {
            assertThat(s.api.post(wallet + "/grants", Map.of("credits", String.valueOf(r.paid()), "kind", "paid")).status()).isEqualTo(201);
        }
        CreditsModel credits = new CreditsModel(BigDecimal.valueOf(r.granted()), BigDecimal.valueOf(r.paid()), expiry);
        List<String> expected = new ArrayList<>();
        String sub = s.subscribe(Map.of("customer_id", c, "plan", "team", "billing_cycle_day", 1)).get("id").asText();
        expected.add(expectedInvoice(start, "finalized", List.of("recurring 30.00"), new BigDecimal("30.00"), credits).text());

        LocalDate nextBoundary = start.plusMonths(1);
        int cycleDay = 1;
        Integer pendingCycleDay = null;
        boolean pendingYearly = false;
        LocalDate periodStart = start; // the running period and the monthly price it was billed at
        BigDecimal periodPrice = new BigDecimal("30.00");
        LocalDate movesFrom = null; // the first boundary day on or after which periods are priced at 36.00
        List<BigDecimal> parked = new ArrayList<>();
        List<OneOff> oneOffs = r.oneOffs().stream().sorted(Comparator.comparingInt(OneOff::day)).toList();
        for (LocalDate d = start.plusDays(1); !d.isAfter(horizon); d = d.plusDays(1)) {
            LocalDate day = d;
            boolean boundary = d.equals(nextBoundary);
            int offset = (int) ChronoUnit.DAYS.between(start, d);
            List<OneOff> today = oneOffs.stream().filter(o -> o.day() == offset).toList();
            if (!boundary && today.isEmpty() && offset != r.decisionDay() && offset != r.cycleChangeDay()) {
                continue;
            }
            s.advanceTo(d + "T08:00:00Z");
            if (boundary) {
                BigDecimal price = movesFrom != null && !d.isBefore(movesFrom) ? new BigDecimal("36.00") : new BigDecimal("30.00");
                BigDecimal fee = price;
                periodStart = d;
                periodPrice = price;
                if (pendingYearly) {
                    // a year from this boundary at 10 % off twelve months, rounded once
                    fee = price.multiply(BigDecimal.valueOf(12)).multiply(new BigDecimal("0.9")).setScale(2, RoundingMode.HALF_UP);
                    pendingYearly = false;
                    nextBoundary = d.plusYears(1);
                } else if (pendingCycleDay != null) {
                    LocalDate bridgeEnd = d.withDayOfMonth(pendingCycleDay);
                    fee = price.multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(d, bridgeEnd)))
                            .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(bridgeEnd.minusMonths(1), bridgeEnd)), 2, RoundingMode.HALF_UP);
                    cycleDay = pendingCycleDay;
                    pendingCycleDay = null;
                    nextBoundary = bridgeEnd;
                } else {
                    nextBoundary = d.plusMonths(1).withDayOfMonth(cycleDay);
                }
                List<String> lines = new ArrayList<>();
                BigDecimal owed = fee;
                for (BigDecimal p : parked) {
                    lines.add("one_off " + p.toPlainString());
                    owed = owed.add(p);
                }
                parked.clear();
                lines.add("recurring " + fee.toPlainString());
                expected.add(expectedInvoice(d, "finalized", lines, owed, credits).text());
            }
            if (offset == r.decisionDay()) {
                assertThat(s.api.postYaml("/v1/catalog/versions", RECENT_V2).status()).isEqualTo(201);
                assertThat(s.api.post("/v1/price_migrations", Map.of("plan", "team", "catalog_version", 2, "policy", "migrate",
                        "effective_date", "2026-07-01", "notice_days", r.noticeDays())).status()).isEqualTo(201);
                LocalDate noticeEnds = d.plusDays(r.noticeDays());
                movesFrom = noticeEnds.isAfter(LocalDate.of(2026, 7, 1)) ? noticeEnds : LocalDate.of(2026, 7, 1);
            }
            if (offset == r.cycleChangeDay() && r.yearlyNow()) {
                var changed = s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "year", "effective", "immediately"));
                assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
                // the month's unused days back, the change day counted, rounded once
                BigDecimal unused = periodPrice.multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(d, nextBoundary)))
                        .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(periodStart, nextBoundary)), 2, RoundingMode.HALF_UP);
                // cycle day 1: the year runs from today to the 1st of this month a year on, priced by day against that whole year
                LocalDate yearEnd = d.withDayOfMonth(1).plusYears(1);
                BigDecimal yearPrice = periodPrice.multiply(BigDecimal.valueOf(12)).multiply(new BigDecimal("0.9"));
                BigDecimal year = yearPrice.multiply(BigDecimal.valueOf(ChronoUnit.DAYS.between(d, yearEnd)))
                        .divide(BigDecimal.valueOf(ChronoUnit.DAYS.between(d.withDayOfMonth(1), yearEnd)), 2, RoundingMode.HALF_UP);
                List<String> lines = new ArrayList<>();
                BigDecimal owed = year.subtract(unused);
                for (BigDecimal p : parked) {
                    lines.add("one_off " + p.toPlainString());
                    owed = owed.add(p);
                }
                parked.clear();
                lines.add("proration " + unused.negate().toPlainString());
                lines.add("recurring " + year.toPlainString());
                expected.add(expectedInvoice(d, "finalized", lines, owed, credits).text());
                nextBoundary = yearEnd;
            } else if (offset == r.cycleChangeDay() && r.yearly()) {
                var changed = s.api.post("/v1/subscriptions/" + sub + "/change_interval", Map.of("interval", "year"));
                assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
                pendingYearly = true;
            } else if (offset == r.cycleChangeDay()) {
                var changed = s.api.post("/v1/subscriptions/" + sub + "/change_billing_cycle_day", Map.of("billing_cycle_day", r.newCycleDay()));
                assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
                pendingCycleDay = r.newCycleDay() == cycleDay ? null : r.newCycleDay();
            }
            for (OneOff o : today) {
                BigDecimal amount = BigDecimal.valueOf(o.cents(), 2);
                Map<String, Object> body = new HashMap<>(Map.of("description", "Service", "amount", amount.toPlainString()));
                if (o.nextInvoice()) {
                    body.put("invoice", "next_invoice");
                    body.put("subscription_id", sub);
                }
                var posted = s.api.post("/v1/customers/" + c + "/one_off_charges", body);
                assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
                if (o.nextInvoice()) {
                    parked.add(amount);
                    continue;
                }
                ExpectedInvoice invoice = expectedInvoice(day, o.voided() ? "void" : "finalized", List.of("one_off " + amount.toPlainString()), amount, credits);
                expected.add(invoice.text());
                if (o.voided()) {
                    assertThat(s.api.post("/v1/invoices/" + posted.text("invoice_id") + "/void", null).text("status")).isEqualTo("void");
                    credits.giveBack(invoice.taken());
                }
            }
        }
        assertThat(actualInvoices(s, c)).as("%s", r).containsExactlyElementsOf(expected);
        JsonNode balance = s.api.get(wallet).json().get("balance");
        Instant end = horizon.atTime(8, 0).toInstant(ZoneOffset.UTC);
        assertThat(new BigDecimal(balance.get("granted_credits").asText())).as("granted left, %s", r)
                .isEqualByComparingTo(end.isBefore(expiry) ? credits.granted : BigDecimal.ZERO);
        assertThat(new BigDecimal(balance.get("paid_credits").asText())).as("paid left, %s", r).isEqualByComparingTo(credits.paid);
    }

    record ExpectedInvoice(String text, CreditsModel.Taken taken) {
    }

    /** An invoice issued on {@code day} (at 08:00, the instant every action of the run happens) owing {@code owed} before the wallet. */
    private static ExpectedInvoice expectedInvoice(LocalDate day, String status, List<String> lines, BigDecimal owed, CreditsModel credits) {
        CreditsModel.Taken taken = credits.pay(owed, day.atTime(8, 0).toInstant(ZoneOffset.UTC));
        List<String> all = new ArrayList<>(lines);
        if (taken.money().signum() > 0) {
            all.add("credit " + taken.money().negate().toPlainString());
        }
        return new ExpectedInvoice(day + " " + status + " " + owed.subtract(taken.money()).toPlainString() + " " + all.stream().sorted().toList(), taken);
    }

    /** The customer's invoices in the order they were created, as "issue date, status, total, sorted lines". */
    private static List<String> actualInvoices(Sandbox s, String customer) {
        List<JsonNode> all = new ArrayList<>();
        s.api.get("/v1/invoices?limit=100&customer_id=" + customer).json().get("data").forEach(all::add);
        all.sort(Comparator.comparing((JsonNode i) -> Instant.parse(i.get("created_at").asText())));
        List<String> out = new ArrayList<>();
        for (JsonNode i : all) {
            List<String> lines = new ArrayList<>();
            i.get("lines").forEach(l -> lines.add(l.get("kind").asText() + " " + l.get("amount").asText()));
            out.add(i.get("issue_date").asText() + " " + i.get("status").asText() + " " + i.get("total").asText() + " " + lines.stream().sorted().toList());
        }
        return out;
    }

    /**
     * The wallet as the rules say, kept independently: a lot of granted credits usable before {@code expiry} and one of paid
     * credits; an amount owed takes granted credits first (the credits it costs at 0.05 each, or all the lot has, worth what
     * they are worth), then paid ones; a voided invoice's credits go back to their lots.
     */
    static final class CreditsModel {
        BigDecimal granted;
        BigDecimal paid;
        final Instant expiry;

        record Taken(BigDecimal granted, BigDecimal paid, BigDecimal money) {
        }

        CreditsModel(BigDecimal granted, BigDecimal paid, Instant expiry) {
            this.granted = granted;
            this.paid = paid;
            this.expiry = expiry;
        }

        Taken pay(BigDecimal owed, Instant at) {
            BigDecimal left = owed;
            BigDecimal fromGranted = BigDecimal.ZERO;
            if (at.isBefore(expiry) && granted.signum() > 0) {
                fromGranted = left.divide(CREDIT_RATE).min(granted);
                left = left.subtract(fromGranted.multiply(CREDIT_RATE)).max(BigDecimal.ZERO);
            }
            BigDecimal fromPaid = BigDecimal.ZERO;
            if (left.signum() > 0 && paid.signum() > 0) {
                fromPaid = left.divide(CREDIT_RATE).min(paid);
                left = left.subtract(fromPaid.multiply(CREDIT_RATE)).max(BigDecimal.ZERO);
            }
            granted = granted.subtract(fromGranted);
            paid = paid.subtract(fromPaid);
            return new Taken(fromGranted, fromPaid, owed.subtract(left).setScale(2, RoundingMode.UNNECESSARY));
        }

        void giveBack(Taken t) {
            granted = granted.add(t.granted());
            paid = paid.add(t.paid());
        }
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

    /** A child of {@code parent} on consolidated invoicing, on the parent's clock, zone and cycle (as {@link Sandbox#customer}). */
    private static String consolidatedChild(Sandbox s, String parent) {
        Map<String, Object> body = Fixtures.customer("Reconciled Child");
        body.put("time_zone", "UTC");
        body.remove("alignment");
        body.put("test_clock_id", s.clockId);
        body.put("parent_id", parent);
        body.put("invoicing", "consolidated");
        var created = s.api.post("/v1/customers", body);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.text("id");
    }

    /** What the subscription's documents billed per charge — and, with a consolidated {@code parent}, its parent's invoices' sections. */
    private static Map<String, BigDecimal> billedPerCharge(Sandbox s, String sub, String parent) {
        Map<String, BigDecimal> out = billedPerCharge(s, "subscription_id=" + sub);
        if (parent != null) {
            billedPerCharge(s, "customer_id=" + parent).forEach((charge, amount) -> out.merge(charge, amount, BigDecimal::add));
        }
        return out;
    }

    private static Map<String, BigDecimal> billedPerCharge(Sandbox s, String filter) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (String charge : List.of("base", "calls", "sms", "minimum_commitment", "card", "platform", "setup", "wire", "seat_fees", "gpu_time",
                "resale", "volume_fees")) {
            out.put(charge, BigDecimal.ZERO);
        }
        String cursor = null;
        do {
            JsonNode page = s.api.get("/v1/invoices?limit=100&" + filter + (cursor == null ? "" : "&cursor=" + cursor)).json();
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
            case RESALE -> "resold";
            case VOLUME -> "volume";
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
            case RESALE -> Map.of("price", resalePrice(quantity).doubleValue()); // a resold call carries its own price (a JSON number)
            case VOLUME -> Map.of("amount", 3 * quantity);
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

    /** A resold call's own price: its quantity in quarters and a cent, so sums exercise the cents. */
    private static BigDecimal resalePrice(int quantity) {
        return BigDecimal.valueOf(quantity).multiply(new BigDecimal("0.25")).add(new BigDecimal("0.01"));
    }

    /** Dynamic pricing over one window [from, to): the prices its calls carried, summed (a cancelled call carries none). */
    private static BigDecimal resale(LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                     Map<String, Integer> quantity) {
        return inWindow(RESALE, from, to, events, occurredOn, quantity).stream().filter(q -> q > 0).map(ReconciliationPropertyTest::resalePrice)
                .reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2, RoundingMode.UNNECESSARY);
    }

    /**
     * Graduated percentage over one window [from, to): with A the amounts summed (3 × the quantity each), 3 % of the part up to
     * 100 and 1 % of the part above, plus 0.50 once A passes 100, rounded once.
     */
    private static BigDecimal volumeFees(LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                         Map<String, Integer> quantity) {
        BigDecimal a = inWindow(VOLUME, from, to, events, occurredOn, quantity).stream().map(q -> BigDecimal.valueOf(3L * q))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal hundred = BigDecimal.valueOf(100);
        BigDecimal fee = a.min(hundred).multiply(new BigDecimal("0.03"));
        if (a.compareTo(hundred) > 0) {
            fee = fee.add(a.subtract(hundred).multiply(new BigDecimal("0.01"))).add(new BigDecimal("0.50"));
        }
        return fee.setScale(2, RoundingMode.HALF_UP);
    }

    /** The final quantities of the events of {@code kind} that occurred in [from, to) (0 for a cancelled one). */
    private static List<Integer> inWindow(int kind, LocalDate from, LocalDate to, Map<String, Event> events, Map<String, LocalDate> occurredOn,
                                          Map<String, Integer> quantity) {
        return events.entrySet().stream().filter(e -> e.getValue().kind() == kind)
                .filter(e -> { LocalDate d = occurredOn.get(e.getKey()); return !d.isBefore(from) && d.isBefore(to); })
                .map(e -> quantity.get(e.getKey())).toList();
    }

    private static LocalDate min(LocalDate a, LocalDate b) {
        return a.isBefore(b) ? a : b;
    }

    private static LocalDate max(LocalDate a, LocalDate b) {
        return a.isAfter(b) ? a : b;
    }
}

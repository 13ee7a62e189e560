package dev.accrue.app.metering;

import dev.accrue.app.audit.AuditLog;
import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.AddOnBilling;
import dev.accrue.app.billing.BilledUsageRepository;
import dev.accrue.app.id.Ids;
import dev.accrue.app.billing.CustomerClock;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.subscription.SubscriptionRepository;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tenant.TenantSettings;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Aggregation;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.metering.EventRejection;
import dev.accrue.core.metering.EventRules;
import dev.accrue.core.metering.MeteredEvent;
import dev.accrue.core.metering.RawEvent;
import dev.accrue.core.metering.TelecomEvents;
import dev.accrue.core.metering.TransactionValues;
import dev.accrue.core.subscription.Subscription;
import dev.accrue.core.telecom.NumberCountries;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Takes usage in. A batch is validated in memory first (every event gets its own result), then the valid
 * events are stored and aggregated in one transaction, which concurrent batches may share ({@link GroupCommit});
 * when it commits they are durable, and a retry of any of them is recognised as a duplicate by the database's
 * primary key.
 */
public final class MeteringService {
    public static final int MAX_BATCH = 10_000;
    private final Transactions tx;
    private final UsageRepository usage;
    private final CustomerRepository customers;
    private final SubscriptionRepository subscriptions;
    private final CatalogService catalogs;
    private final TenantRepository tenants;
    private final CustomerTime time;
    private final AuditLog audit;
    private final BilledUsageRepository billed;
    private final UsageCoverage coverage;
    private final NumberCountries countries;
    private static final Logger LOG = LoggerFactory.getLogger(MeteringService.class);
    private UsageListener listener;
    private final GroupCommit group;
    private final UsageIntake intake;
    private final IngestionLookups lookups;

    /**
     * {@code intake}: the log batches are acknowledged from (Kafka mode, see {@link UsageIntake}); null stores them in PostgreSQL directly.
     * {@code lookups}: what a batch's validation reads about its customers, remembered briefly (see its bounds).
     */
    public MeteringService(Transactions tx, UsageRepository usage, CustomerRepository customers, SubscriptionRepository subscriptions,
                           CatalogService catalogs, TenantRepository tenants, CustomerTime time, AuditLog audit, BilledUsageRepository billed,
                           AddOnBilling addOns, NumberCountries countries, UsageIntake intake, IngestionLookups lookups) {
        this.lookups = lookups;
        this.intake = intake;
        this.audit = audit;
        this.countries = countries;
        this.billed = billed;
        this.coverage = new UsageCoverage(catalogs, addOns);
        this.tx = tx;
        this.usage = usage;
        this.customers = customers;
        this.subscriptions = subscriptions;
        this.catalogs = catalogs;
        this.tenants = tenants;
        this.time = time;
        this.group = new GroupCommit(tx, usage);
    }

    /** Who hears of newly stored usage in the same transaction (prepaid drawdown). */
    public void useListener(UsageListener listener) {
        this.listener = listener;
    }

    /** Stores a batch (see {@link #store}) and counts each event's outcome, by code, for /metrics. */
    public IngestResult ingest(Caller caller, List<RawEvent> batch) {
        return ingest(caller, batch, false);
    }

    /**
     * As {@link #ingest}, inside the caller's transaction, which has written none of the rows validation reads (customers,
     * subscriptions, billed windows, the tenant — an authorization's commit has only locked reservations): what this node
     * remembers of them is used as outside a transaction, within {@link IngestionLookups}' bounds. Any other transaction
     * calls {@link #ingest}, which reads them all there, since what it wrote is not committed and must not be remembered.
     */
    public IngestResult ingestBeforeWriting(Caller caller, List<RawEvent> batch) {
        return ingest(caller, batch, true);
    }

    private IngestResult ingest(Caller caller, List<RawEvent> batch, boolean unwritten) {
        try {
            IngestResult result = store(caller, batch, unwritten);
            UsageMeters.count(result);
            return result;
        } catch (AccrueException refused) {
            UsageMeters.refused(refused.code().wire(), batch == null ? 0 : batch.size());
            throw refused;
        }
    }

    private IngestResult store(Caller caller, List<RawEvent> batch, boolean unwritten) {
        caller.requireWrite();
        if (batch == null || batch.isEmpty()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "events", "events must hold at least one event");
        }
        if (batch.size() > MAX_BATCH) {
            throw new AccrueException(ErrorCode.BATCH_TOO_LARGE, "events", "A batch holds at most " + MAX_BATCH + " events, got " + batch.size());
        }
        if (tx.inProgress()) {
            // inside a caller's transaction (an authorization's commit): the events commit or roll back with it
            return tx.inTransaction(() -> {
                Validated validated = validate(caller, batch, !unwritten);
                return validated.finish((tenant, events, at) -> {
                    Set<String> known = usage.insert(tenant, events, at);
                    // the listeners take the subscriptions as validation read them, as after a commit: not read twice
                    tell(tenant, events, known, validated.read(), false);
                    return known;
                }, caller.tenantId(), time.systemNow());
            });
        }
        // validated in a read transaction of its own, then stored by the group commit, possibly sharing a commit
        // with concurrent requests; the results are answered once that commit is done
        Validated validated = tx.inTransaction(() -> validate(caller, batch, false));
        if (intake != null) {
            // Kafka mode: acknowledged once durable in the log; the fold stores them and tells the listener (UsageFold)
            return validated.finish(intake::append, caller.tenantId(), time.systemNow());
        }
        return validated.finish((tenant, events, at) -> {
            Set<String> known = group.insert(tenant, events, at);
            afterStored(tenant, events, known, validated.read());
            return known;
        }, caller.tenantId(), time.systemNow());
    }

    /**
     * Tells the listener (alerts, progressive billing, prepaid drawdown) which of {@code events} were stored by a
     * transaction that has committed, {@code known} being those stored before, in a transaction of its own: a crash in
     * between loses no usage, and the invoice of the window settles whatever was not drawn in real time.
     */
    public void afterStored(String tenantId, List<MeteredEvent> events, Set<String> known) {
        afterStored(tenantId, events, known, BatchRead.NONE);
    }

    /**
     * {@code read}: what the batch's validation read, which the listeners need not read again; when it is not at hand (usage
     * folded from Kafka, validated on whichever node took it) the customers' rows are taken from this node's lookups
     * first, before any listener writes — remembered ones as they are, the rest read in one round trip and remembered.
     */
    private void afterStored(String tenantId, List<MeteredEvent> events, Set<String> known, BatchRead read) {
        if (listener != null) {
            try {
                tx.run(() -> tell(tenantId, events, known, read.prepaid() != null ? read : readFor(tenantId, events), true));
            } catch (RuntimeException e) {
                LOG.warn("Real-time drawdown after a usage batch failed; the invoice will settle it", e);
            }
        }
    }

    private BatchRead readFor(String tenantId, List<MeteredEvent> events) {
        Set<String> customerIds = new HashSet<>();
        events.forEach(e -> customerIds.add(e.customerId()));
        return lookups.read(tenantId, customerIds, false).read();
    }

    /**
     * Tells the listener which of {@code events} were stored now (the rest, {@code known}, were stored before), by a
     * transaction that has {@code committed} or by the caller's, still open.
     */
    private void tell(String tenantId, List<MeteredEvent> events, Set<String> known, BatchRead read, boolean committed) {
        if (listener == null) {
            return;
        }
        List<MeteredEvent> stored = known.isEmpty() ? events : events.stream().filter(e -> !known.contains(e.eventId())).toList();
        if (!stored.isEmpty()) {
            if (committed) {
                listener.accepted(tenantId, stored, read);
            } else {
                listener.acceptedBeforeCommit(tenantId, stored, read);
            }
        }
    }

    /** A batch checked in memory: a result for each refused event, and the valid events (legs) to store. */
    private record Validated(List<RawEvent> batch, EventResult[] results, List<MeteredEvent> valid, List<Integer> validIndex,
                             BatchRead read) {
        interface Store {
            Set<String> insert(String tenantId, List<MeteredEvent> events, Instant receivedAt);
        }

        IngestResult finish(Store store, String tenantId, Instant receivedAt) {
            Set<String> known = valid.isEmpty() ? Set.of() : store.insert(tenantId, valid, receivedAt);
            // an event is accepted when any of its legs is new, a duplicate when all were stored before
            int accepted = 0;
            int duplicates = 0;
            for (int k = 0; k < valid.size(); k++) {
                int index = validIndex.get(k);
                boolean fresh = !known.contains(valid.get(k).eventId());
                EventResult before = results[index];
                if (before == null || (fresh && before.status().equals(EventResult.DUPLICATE))) {
                    results[index] = new EventResult(index, batch.get(index).eventId(), fresh ? EventResult.ACCEPTED : EventResult.DUPLICATE, null, null, null);
                }
            }
            for (EventResult r : results) {
                accepted += r.status().equals(EventResult.ACCEPTED) ? 1 : 0;
                duplicates += r.status().equals(EventResult.DUPLICATE) ? 1 : 0;
            }
            return new IngestResult(accepted, duplicates, batch.size() - accepted - duplicates, List.of(results));
        }
    }

    /** Rejections a stale remembered row could cause: the customer's rows are read again and the batch validated again. */
    private static final Set<String> MAYBE_STALE = Set.of(EventRejection.NO_ACTIVE_SUBSCRIPTION, EventRejection.UNKNOWN_METRIC,
            EventRejection.NO_CHARGE_FOR_METRIC);

    /**
     * Validates the batch on its customers' rows (at most three queries for the whole batch, however many customers it
     * touches, none for customers remembered — {@link IngestionLookups}). {@code fresh}: read every row, remember nothing.
     */
    private Validated validate(Caller caller, List<RawEvent> batch, boolean fresh) {
        Set<String> customerIds = new HashSet<>();
        batch.forEach(e -> {
            if (e.customerId() != null) {
                customerIds.add(e.customerId());
            }
        });
        IngestionLookups.BatchRows rows = lookups.read(caller.tenantId(), customerIds, fresh);
        Validated validated = validate(caller, batch, rows);
        if (rows.remembered().isEmpty()) {
            return validated;
        }
        // a refusal for want of a subscription or metric is never answered from remembered rows: read them and validate again
        Set<String> doubtful = new HashSet<>();
        for (EventResult r : validated.results()) {
            if (r != null && MAYBE_STALE.contains(r.code())) {
                String customerId = batch.get(r.index()).customerId();
                if (rows.remembered().contains(customerId)) {
                    doubtful.add(customerId);
                }
            }
        }
        if (doubtful.isEmpty()) {
            return validated;
        }
        lookups.forget(caller.tenantId(), doubtful);
        return validate(caller, batch, lookups.read(caller.tenantId(), customerIds, false));
    }

    private Validated validate(Caller caller, List<RawEvent> batch, IngestionLookups.BatchRows rows) {
        TenantSettings settings = rows.settings();
        Duration lateness = Duration.ofDays(settings.eventLatenessDays());
        Map<String, Instant> nowByClock = new HashMap<>(); // one clock read per customer clock per batch
        Map<Object, Boolean> covered = new HashMap<>();
        EventResult[] results = new EventResult[batch.size()];
        List<MeteredEvent> valid = new ArrayList<>();
        List<Integer> validIndex = new ArrayList<>();
        Set<String> seen = new HashSet<>(batch.size() * 2);
        Map<MetricKey, Optional<Metric>> metricCache = new HashMap<>(); // catalog lookups once per batch
        Map<MetricKey, Boolean> keptCache = new HashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            RawEvent raw = batch.get(i);
            EventRejection rejection = null;
            List<MeteredEvent> legs = new ArrayList<>();
            IngestionLookups.CustomerRows found = raw.customerId() == null ? null : rows.customers().get(raw.customerId());
            CustomerClock customer = found == null ? null : found.clock();
            if (raw.customerId() == null) {
                rejection = new EventRejection(EventRejection.MISSING_FIELD, "customer_id", "customer_id is required");
            } else if (customer == null) {
                rejection = new EventRejection(EventRejection.UNKNOWN_CUSTOMER, "customer_id", "No customer with id '" + raw.customerId() + "'");
            } else if (raw.metric() == null) {
                rejection = new EventRejection(EventRejection.MISSING_FIELD, "metric", "metric is required");
            } else if ((rejection = EventRules.checkEnvelope(raw, nowFor(caller, customer, nowByClock), lateness)) != null) {
                // id or timestamp refused before looking for a subscription, so the reason given is the real one
            } else {
                Instant now = nowFor(caller, customer, nowByClock);
                var match = subscriptionFor(caller.tenantId(), found.subscriptions(), raw, customer, now, metricCache, found.lateBefore(), covered);
                if (match.rejection() != null) {
                    rejection = match.rejection();
                } else {
                    // a text message becomes its segments; a forwarded call becomes its two legs
                    var expansion = TelecomEvents.expand(raw, match.metric(), countries);
                    rejection = expansion.rejection();
                    for (RawEvent leg : expansion.events()) {
                        var outcome = EventRules.check(leg, match.metric(), match.subscription().id(), customer.zone(), now, lateness,
                                settings.maxEventQuantity());
                        if (outcome instanceof EventRules.Rejected r) {
                            rejection = r.rejection();
                            break;
                        }
                        MeteredEvent accepted = ((EventRules.Accepted) outcome).event();
                        if (keptCache.computeIfAbsent(new MetricKey(match.subscription().catalogVersion(), raw.metric()),
                                k -> TransactionValues.kept(catalogs.catalog(caller.tenantId(), k.catalogVersion()), k.metric()))) {
                            accepted = accepted.keepingValue();
                        }
                        legs.add(match.late() ? accepted.asLate() : accepted);
                    }
                }
            }
            if (rejection == null && !allNew(legs, seen)) {
                rejection = new EventRejection(EventRejection.DUPLICATE_IN_BATCH, "event_id", "event_id '" + raw.eventId() + "' appears twice in this batch");
            }
            if (rejection != null) {
                results[i] = new EventResult(i, raw.eventId(), EventResult.REJECTED, rejection.code(), rejection.field(), rejection.message());
            } else {
                for (MeteredEvent leg : legs) {
                    valid.add(leg);
                    validIndex.add(i);
                }
            }
        }
        return new Validated(batch, results, valid, validIndex, rows.read());
    }

    /** Cancels an event inside the lateness window: it stays stored but stops counting. A forwarded call's outbound leg goes with it. */
    public UsageRepository.StoredEvent cancel(Caller caller, String eventId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            var event = cancelOne(caller, clientEventId(eventId));
            forwardLeg(caller.tenantId(), eventId).ifPresent(leg -> cancelOne(caller, leg.eventId()));
            return event;
        });
    }

    /**
     * Replaces an event's properties (its measured value and dimensions) inside the lateness window. They are read
     * as at ingestion: a forwarded call's correction corrects its outbound leg too (or cancels that leg when the
     * correction drops {@code forwarded_to}).
     */
    public UsageRepository.StoredEvent correct(Caller caller, String eventId, Map<String, Object> properties) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            var event = correctable(caller, clientEventId(eventId));
            Subscription sub = subscriptions.find(caller.tenantId(), event.subscriptionId()).orElseThrow();
            Metric metric = catalogs.catalog(caller.tenantId(), sub.catalogVersion()).metric(event.metric()).orElseThrow();
            var expansion = TelecomEvents.expand(new RawEvent(eventId, event.customerId(), event.metric(), event.occurredAt().toString(), properties),
                    metric, countries);
            if (expansion.rejection() != null) {
                throw rejected(expansion.rejection());
            }
            var leg = forwardLeg(caller.tenantId(), eventId);
            List<RawEvent> legs = expansion.events();
            if (legs.size() > 1 && leg.isEmpty()) {
                throw AccrueException.invalid("properties." + TelecomEvents.FORWARDED_TO, "Event " + eventId
                        + " was not a forwarded call; cancel it and send the forwarded call under a new event_id");
            }
            var corrected = correctOne(caller, eventId, legs.getFirst().properties());
            if (legs.size() > 1) {
                correctOne(caller, leg.get().eventId(), legs.get(1).properties());
            } else {
                leg.ifPresent(l -> cancelOne(caller, l.eventId()));
            }
            return corrected;
        });
    }

    /** Cancels one stored event (a call, or one of its legs); a billed window it was in is re-priced. Joins the caller's transaction. */
    private UsageRepository.StoredEvent cancelOne(Caller caller, String eventId) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            var event = correctable(caller, eventId);
            usage.cancel(caller.tenantId(), eventId, time.systemNow());
            usage.recomputeDay(caller.tenantId(), event.subscriptionId(), event.metric(), event.day());
            markDirty(caller.tenantId(), event);
            audit.record(caller, "usage_event", eventId, "usage_event.cancelled", event, null);
            return event;
        });
    }

    /** Corrects one stored event (a call, or one of its legs) to these properties; a billed window it was in is re-priced. Joins the caller's transaction. */
    private UsageRepository.StoredEvent correctOne(Caller caller, String eventId, Map<String, Object> properties) {
        caller.requireWrite();
        return tx.inTransaction(() -> {
            var event = correctable(caller, eventId);
            Subscription sub = subscriptions.find(caller.tenantId(), event.subscriptionId()).orElseThrow();
            Metric metric = catalogs.catalog(caller.tenantId(), sub.catalogVersion()).metric(event.metric()).orElseThrow();
            Customer customer = customers.find(caller.tenantId(), event.customerId()).orElseThrow();
            TenantSettings settings = tenants.find(caller.tenantId()).orElseThrow().settings();
            RawEvent raw = new RawEvent(eventId, event.customerId(), event.metric(), event.occurredAt().toString(), properties);
            var outcome = EventRules.check(raw, metric, sub.id(), customer.timeZone(), time.now(caller.tenantId(), customer),
                    Duration.ofDays(settings.eventLatenessDays()), settings.maxEventQuantity());
            if (outcome instanceof EventRules.Rejected r) {
                throw rejected(r.rejection());
            }
            MeteredEvent corrected = ((EventRules.Accepted) outcome).event();
            usage.correct(caller.tenantId(), eventId, corrected.quantity(), corrected.dimensionKey(), corrected.counted(), properties, time.systemNow());
            if (corrected.unitOp() != null) {
                usage.correctUnit(caller.tenantId(), eventId, corrected.uniqueValue(), corrected.unitOp());
            }
            usage.recomputeDay(caller.tenantId(), event.subscriptionId(), event.metric(), event.day());
            markDirty(caller.tenantId(), event);
            audit.record(caller, "usage_event", eventId, "usage_event.corrected", event, corrected);
            return usage.findForUpdate(caller.tenantId(), eventId).orElseThrow();
        });
    }

    /**
     * Marks the billed windows a changed event was in for re-pricing — for a persistent metric every billed window from
     * its day on, since the unit it added or removed is held (or not) in all of them.
     */
    private void markDirty(String tenantId, UsageRepository.StoredEvent event) {
        Subscription sub = subscriptions.find(tenantId, event.subscriptionId()).orElseThrow();
        boolean carries = catalogs.catalog(tenantId, sub.catalogVersion()).metric(event.metric())
                .map(m -> m.aggregation() == Aggregation.PERSISTENT).orElse(false);
        if (carries) {
            billed.markDirtyFrom(tenantId, event.subscriptionId(), event.metric(), event.day());
        } else {
            billed.markDirty(tenantId, event.subscriptionId(), event.metric(), event.day());
        }
    }

    /** A forwarded call's outbound leg is not an event of the client's: it is reached through its call only. */
    private static String clientEventId(String eventId) {
        if (TelecomEvents.isForwardLeg(eventId)) {
            throw AccrueException.notFound("usage event", eventId);
        }
        return eventId;
    }

    /** The outbound leg of a forwarded call, when {@code callId} was one and the leg still counts. */
    private Optional<UsageRepository.StoredEvent> forwardLeg(String tenantId, String callId) {
        return usage.findForUpdate(tenantId, TelecomEvents.forwardLegId(callId)).filter(l -> !l.cancelled());
    }

    private static AccrueException rejected(EventRejection r) {
        return new AccrueException(ErrorCode.valueOf(r.code().toUpperCase(Locale.ROOT)), r.field(), r.message());
    }

    /** An event that may still change: known, not cancelled, inside the lateness window (invoiced or not). */
    private UsageRepository.StoredEvent correctable(Caller caller, String eventId) {
        var event = usage.findForUpdate(caller.tenantId(), eventId).orElseThrow(() -> AccrueException.notFound("usage event", eventId));
        if (event.cancelled()) {
            throw new AccrueException(ErrorCode.EVENT_CANCELLED, "event_id", "Event " + eventId + " was already cancelled");
        }
        Customer customer = customers.find(caller.tenantId(), event.customerId()).orElseThrow();
        TenantSettings settings = tenants.find(caller.tenantId()).orElseThrow().settings();
        if (event.occurredAt().isBefore(time.now(caller.tenantId(), customer).minus(Duration.ofDays(settings.eventLatenessDays())))) {
            throw new AccrueException(ErrorCode.EVENT_TOO_LATE, "event_id", "Event " + eventId + " is older than the lateness window and can no longer change");
        }
        // the subscription's row lock orders this change with billing: a window billed before it is re-priced after it
        subscriptions.findForUpdate(caller.tenantId(), event.subscriptionId()).orElseThrow();
        return event;
    }

    private record Match(Subscription subscription, Metric metric, EventRejection rejection, boolean late) {
    }

    /** The subscription the event bills to: the one running on the event's day whose catalog knows the metric. */
    private Instant nowFor(Caller caller, CustomerClock customer, Map<String, Instant> nowByClock) {
        String key = customer.testClockId() == null ? "" : customer.testClockId();
        return nowByClock.computeIfAbsent(key, k -> time.now(caller.tenantId(), customer));
    }

    /** Records every leg's id as seen in the batch; false when one was seen already. */
    private static boolean allNew(List<MeteredEvent> legs, Set<String> seen) {
        for (MeteredEvent leg : legs) {
            if (!seen.add(leg.eventId())) {
                return false;
            }
        }
        return true;
    }

    private record MetricKey(int catalogVersion, String metric) {
    }

    /** Keys of a batch's coverage answers: by plan (any day), then by subscription and day (add-ons). */
    private record PlanMetric(int catalogVersion, String planCode, String metric) {
    }

    private record SubscriptionDay(String subscriptionId, String metric, LocalDate day) {
    }

    private Match subscriptionFor(String tenantId, List<Subscription> subs, RawEvent raw, CustomerClock customer, Instant now,
                                  Map<MetricKey, Optional<Metric>> metricCache, Map<String, Map<String, LocalDate>> lateBefore,
                                  Map<Object, Boolean> covered) {
        LocalDate day;
        try {
            day = raw.timestamp() == null ? LocalDate.ofInstant(now, customer.zone())
                    : LocalDate.ofInstant(EventRules.parseInstant(raw.timestamp()), customer.zone());
        } catch (DateTimeException e) {
            day = LocalDate.ofInstant(now, customer.zone());
        }
        boolean metricKnown = false;
        Subscription uncovered = null;
        for (Subscription s : subs) {
            var metric = metricCache.computeIfAbsent(new MetricKey(s.catalogVersion(), raw.metric()),
                    k -> catalogs.catalog(tenantId, k.catalogVersion()).metric(k.metric()));
            if (metric.isEmpty()) {
                continue;
            }
            metricKnown = true;
            boolean running = !day.isBefore(s.startDate()) && (s.endedOn() == null || day.isBefore(s.endedOn()));
            if (!running) {
                continue;
            }
            LocalDate d = day;
            // the plan's answer holds for every subscription of that plan and every day: one question per plan and metric
            // in a batch; only what the plan does not bill asks the add-ons in force that day
            boolean byPlan = covered.computeIfAbsent(new PlanMetric(s.catalogVersion(), s.planCode(), raw.metric()),
                    k -> coverage.planCovers(tenantId, s, raw.metric()));
            if (!byPlan && !covered.computeIfAbsent(new SubscriptionDay(s.id(), raw.metric(), day), k -> coverage.addOnCovers(tenantId, s, raw.metric(), d))) {
                uncovered = s;
                continue;
            }
            LocalDate billedUntil = lateBefore.getOrDefault(s.id(), Map.of()).get(raw.metric());
            return new Match(s, metric.get(), null, billedUntil != null && day.isBefore(billedUntil));
        }
        if (uncovered != null) {
            return new Match(null, null, new EventRejection(EventRejection.NO_CHARGE_FOR_METRIC, "metric", "Subscription " + uncovered.id()
                    + " has no charge for '" + raw.metric() + "' on " + day + " (its plan does not meter it and no add-on in force then does): "
                    + "such usage would never be billed"), false);
        }
        return metricKnown
                ? new Match(null, null, new EventRejection(EventRejection.NO_ACTIVE_SUBSCRIPTION, "timestamp",
                        "Customer " + customer.id() + " has no subscription running on " + day + " that meters " + raw.metric()), false)
                : new Match(null, null, new EventRejection(EventRejection.UNKNOWN_METRIC, "metric",
                        "No metric '" + raw.metric() + "' in the catalog of customer " + customer.id() + "'s subscriptions"), false);
    }
}

package dev.accrue.app.authorization;

import dev.accrue.app.auth.Caller;
import dev.accrue.app.billing.CustomerTime;
import dev.accrue.app.catalog.CatalogService;
import dev.accrue.app.metering.EventResult;
import dev.accrue.app.metering.MeteringService;
import dev.accrue.app.tx.Transactions;
import dev.accrue.core.catalog.Metric;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.metering.RawEvent;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Ends calls (POST /v1/authorizations/{id}/commit): records each call's actual usage as an event whose id is the
 * authorization's, so a retried commit is a duplicate, and settles its reservation — both in one transaction, so a
 * crash leaves either both or neither.
 * <p>
 * Call ends that arrive together share that transaction ({@link SharedRoundTrip}, as single checks share a statement):
 * their reservations locked by one statement, their events validated and stored as one batch (one insert-and-fold), their
 * reservations settled by one statement, one commit and one WAL flush for the group. Measured before grouping, a call's
 * end cost ~4× its start (about 12 statements and a flush of its own). Each end is decided as if it ran alone: one whose
 * authorization is unknown, already settled or whose event is refused answers its error and writes nothing, and the
 * others are stored regardless. Two ends of the same authorization in one group are answered as if sent one after the
 * other: the first commits, the second hears it is settled. If the group's transaction fails, each end is retried alone.
 */
final class CallEnds {
    /** One call's end as requested. */
    record End(Caller caller, String id, BigDecimal actual, Map<String, Object> properties) {
    }

    /** What one end came to: its event's result, or the error its request answers (then nothing was written for it). */
    record Outcome(EventResult result, AccrueException error) {
        static Outcome failed(AccrueException error) {
            return new Outcome(null, error);
        }
    }

    /** Told after a group commits, for each end stored: its reservation and the usage it recorded. */
    interface Ended {
        void ended(String tenantId, Authorization a, BigDecimal actual, Instant at);
    }

    private final Transactions tx;
    private final AuthorizationRepository authorizations;
    private final CatalogService catalogs;
    private final MeteringService metering;
    private final CustomerTime time;
    private final Ended ended;
    private final SharedRoundTrip<End, Outcome> shared = new SharedRoundTrip<>("accrue_authorization_group_commits",
            "Call ends (authorization commits) sharing one transaction", (tenant, ends) -> end(tenant, ends, true));

    CallEnds(Transactions tx, AuthorizationRepository authorizations, CatalogService catalogs, MeteringService metering, CustomerTime time,
             Ended ended) {
        this.tx = tx;
        this.authorizations = authorizations;
        this.catalogs = catalogs;
        this.metering = metering;
        this.time = time;
        this.ended = ended;
    }

    EventResult commit(Caller caller, String id, BigDecimal actual, Map<String, Object> properties) {
        caller.requireWrite();
        if (actual == null || actual.signum() < 0) {
            throw AccrueException.invalid("quantity", "quantity (the actual usage) must be zero or more");
        }
        End end = new End(caller, id, actual, properties);
        // inside a caller's transaction the end must commit with it: alone, in that transaction
        boolean callers = tx.inProgress();
        Outcome outcome = callers ? null : shared.answer(caller.tenantId(), end);
        if (outcome == null) {
            outcome = end(caller.tenantId(), List.of(end), !callers).getFirst();
        }
        if (outcome.error() != null) {
            throw outcome.error();
        }
        return outcome.result();
    }

    int waiting() {
        return shared.waiting();
    }

    /**
     * Ends a tenant's calls in one transaction; tells {@link Ended} once it has committed. {@code own}: a transaction of its
     * own (not a caller's, which may have written rows the events' validation reads).
     */
    private List<Outcome> end(String tenantId, List<End> ends, boolean own) {
        List<Stored> stored = new ArrayList<>();
        List<Outcome> outcomes = tx.inTransaction(() -> endAll(tenantId, ends, own, stored));
        Instant at = time.systemNow();
        for (Stored s : stored) {
            ended.ended(tenantId, s.a(), s.actual(), at);
        }
        return outcomes;
    }

    private record Stored(Authorization a, BigDecimal actual) {
    }

    private List<Outcome> endAll(String tenantId, List<End> ends, boolean own, List<Stored> stored) {
        stored.clear(); // a retried transaction starts again
        Set<String> ids = new LinkedHashSet<>();
        ends.forEach(e -> ids.add(e.id()));
        Map<String, AuthorizationRepository.Ending> locked = byKey(authorizations.lockForEnding(tenantId, ids), x -> x.a().id());

        Outcome[] outcomes = new Outcome[ends.size()];
        List<RawEvent> events = new ArrayList<>();
        List<Integer> eventOf = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < ends.size(); i++) {
            End e = ends.get(i);
            AuthorizationRepository.Ending found = locked.get(e.id());
            Authorization a = found == null ? null : found.a();
            if (a == null) {
                outcomes[i] = Outcome.failed(AccrueException.notFound("authorization", e.id()));
            } else if (!open(a) || !taken.add(a.id())) { // taken: a second end of it in this group comes after the first
                String status = open(a) ? Authorization.COMMITTED : a.status();
                outcomes[i] = Outcome.failed(new AccrueException(ErrorCode.AUTHORIZATION_SETTLED, "Authorization " + e.id() + " is already " + status));
            } else {
                Metric metric = catalogs.catalog(tenantId, found.catalogVersion()).metric(a.metric()).orElseThrow();
                Map<String, Object> props = new HashMap<>(e.properties() == null ? Map.of() : e.properties());
                if (metric.field() != null) {
                    props.put(metric.field(), e.actual());
                }
                events.add(new RawEvent(a.id(), a.customerId(), a.metric(), time.now(tenantId, found.clock()).toString(), props));
                eventOf.add(i);
            }
        }
        if (events.isEmpty()) {
            return List.of(outcomes);
        }
        // its own transaction has only locked reservations so far: the validation may use what this node remembers
        Caller caller = ends.get(eventOf.getFirst()).caller();
        List<EventResult> results = (own ? metering.ingestBeforeWriting(caller, events) : metering.ingest(caller, events)).results();
        List<AuthorizationRepository.Settlement> settled = new ArrayList<>();
        for (int k = 0; k < events.size(); k++) {
            int i = eventOf.get(k);
            EventResult r = results.get(k);
            if (r.status().equals(EventResult.REJECTED)) {
                outcomes[i] = Outcome.failed(new AccrueException(ErrorCode.valueOf(r.code().toUpperCase(Locale.ROOT)), r.field(), r.message()));
                continue;
            }
            // as answered alone: the index within the batch is this request's only event
            outcomes[i] = new Outcome(new EventResult(0, r.eventId(), r.status(), r.code(), r.field(), r.message()), null);
            End e = ends.get(i);
            settled.add(new AuthorizationRepository.Settlement(e.id(), e.actual()));
            stored.add(new Stored(locked.get(e.id()).a(), e.actual()));
        }
        if (!settled.isEmpty()) {
            authorizations.settleAll(tenantId, settled, Authorization.COMMITTED, time.systemNow());
        }
        return List.of(outcomes);
    }

    private static <T> Map<String, T> byKey(List<T> rows, Function<T, String> key) {
        Map<String, T> map = new HashMap<>(rows.size() * 2);
        rows.forEach(r -> map.put(key.apply(r), r));
        return map;
    }

    /** Not yet committed or released: held, or expired (a call that outlived its reservation still reports its usage). */
    static boolean open(Authorization a) {
        return a.status().equals(Authorization.HELD) || a.status().equals(Authorization.EXPIRED);
    }
}

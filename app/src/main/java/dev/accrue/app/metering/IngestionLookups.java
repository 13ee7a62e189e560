package dev.accrue.app.metering;

import com.github.benmanes.caffeine.cache.Cache;
import dev.accrue.app.billing.CustomerClock;
import dev.accrue.app.cache.Caches;
import dev.accrue.app.cache.TableWrites;
import dev.accrue.app.tenant.TenantRepository;
import dev.accrue.app.tenant.TenantSettings;
import dev.accrue.core.subscription.Subscription;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What validating a usage batch reads about its customers — each customer's clock, its subscriptions, where their
 * billed windows end, and whether it is prepaid (for the drawdown after the batch, {@link BatchRead}) — and the
 * tenant's settings, remembered per node so that a stream of batches over the same
 * customers does not read the same rows again for every batch (issue 18: with batches spread over 1,000 customers
 * these reads were half of PostgreSQL's time per batch).
 *
 * <p>How stale an answer may be:
 * <ul>
 *   <li>A change made through this node is seen by its next batch: every write to these tables bumps {@link TableWrites}
 *       (at the statement and at its commit), and an entry read before that is not used.</li>
 *   <li>A change made through another node is seen within {@link #REMEMBER}. Meanwhile a batch is validated as if it
 *       had been validated just before the change and stored just after — the race every batch already runs between
 *       its validation and its commit: an event for a subscription that has just ended is still stored against it, an
 *       event of a window billed a moment ago is not yet marked late (the window's re-pricing after billing,
 *       {@code recheck_after}, ten minutes later, bills it).</li>
 *   <li>A negative answer is never remembered: an unknown customer is read again on every batch, and a batch with an event
 *       refused for want of a subscription or a metric is validated again on fresh rows of that customer (see
 *       {@link MeteringService}), so a new customer or subscription is usable at once from any node.</li>
 *   <li>Inside a caller's transaction nothing remembered is used and nothing read is remembered: what it wrote is not
 *       committed, and may never be. An authorization's commit, whose transaction has written none of these rows when
 *       its events are validated, uses them as a batch outside a transaction does ({@code MeteringService.ingestBeforeWriting}).</li>
 * </ul>
 * Authorization, quotas and the usage views do not use these entries; they read under their own locks.
 */
public final class IngestionLookups {
    /** How long another node's change may go unseen by this node's ingestion. */
    public static final Duration REMEMBER = Duration.ofSeconds(2);

    /** One customer's rows as a batch's validation needs them, and the write count they were read at. */
    record CustomerRows(CustomerClock clock, boolean prepaid, List<Subscription> subscriptions, Map<String, Map<String, LocalDate>> lateBefore,
                        long writes) {
    }

    private record TenantRow(TenantSettings settings, long writes) {
    }

    private record Key(String tenantId, String customerId) {
    }

    /** A batch's view: customers found (absent ones are unknown), their subscriptions, where billed windows end, the settings. */
    record BatchRows(TenantSettings settings, Map<String, CustomerRows> customers, Set<String> remembered) {
        List<Subscription> subscriptions(String customerId) {
            CustomerRows rows = customers.get(customerId);
            return rows == null ? List.of() : rows.subscriptions();
        }

        /** What the listeners after the batch are handed of this read. */
        BatchRead read() {
            return new BatchRead(subscriptionsById(), prepaid());
        }

        /** The batch's customers found that are prepaid. */
        Set<String> prepaid() {
            Set<String> prepaid = new HashSet<>();
            customers.forEach((id, rows) -> {
                if (rows.prepaid()) {
                    prepaid.add(id);
                }
            });
            return prepaid;
        }

        Map<String, Subscription> subscriptionsById() {
            Map<String, Subscription> byId = new HashMap<>();
            customers.values().forEach(c -> c.subscriptions().forEach(s -> byId.put(s.id(), s)));
            return byId;
        }
    }

    private final IngestionRowsRepository rows;
    private final TenantRepository tenants;
    private final TableWrites writes;
    private final Cache<Key, CustomerRows> remembered = Caches.written("ingestion_customers", 200_000, REMEMBER);
    private final Cache<String, TenantRow> settings = Caches.written("ingestion_tenants", 10_000, REMEMBER);

    public IngestionLookups(IngestionRowsRepository rows, TenantRepository tenants, TableWrites writes) {
        this.rows = rows;
        this.tenants = tenants;
        this.writes = writes;
    }

    /**
     * The rows of {@code customerIds} (inside a transaction): those remembered since this node's last write to them, the
     * rest read in one round trip ({@link IngestionRowsRepository}); {@code fresh} reads everything and remembers nothing.
     */
    BatchRows read(String tenantId, Collection<String> customerIds, boolean fresh) {
        long at = writes.current(); // before reading: a write during the read makes what it read unusable
        Map<String, CustomerRows> found = new HashMap<>();
        Set<String> hits = new HashSet<>();
        List<String> missing = new ArrayList<>();
        for (String id : customerIds) {
            CustomerRows known = fresh ? null : recall(tenantId, id, at);
            if (known != null) {
                found.put(id, known);
                hits.add(id);
            } else {
                missing.add(id);
            }
        }
        found.putAll(read(tenantId, missing, at, !fresh));
        return new BatchRows(settings(tenantId, at, fresh), found, hits);
    }

    /** A customer's rows remembered since this node's last write to the watched tables, or null. */
    private CustomerRows recall(String tenantId, String customerId, long at) {
        CustomerRows known = remembered.getIfPresent(new Key(tenantId, customerId));
        return known != null && known.writes() == at ? known : null;
    }

    /** Reads these customers' rows; unknown customers are absent, and never remembered. */
    private Map<String, CustomerRows> read(String tenantId, List<String> customerIds, long at, boolean remember) {
        Map<String, CustomerRows> found = new HashMap<>();
        if (customerIds.isEmpty()) {
            return found;
        }
        IngestionRowsRepository.Read read = rows.read(tenantId, customerIds);
        Map<String, List<Subscription>> subs = new HashMap<>();
        read.clocks().forEach(c -> subs.put(c.id(), new ArrayList<>()));
        read.subscriptions().forEach(s -> subs.computeIfAbsent(s.customerId(), id -> new ArrayList<>()).add(s));
        for (CustomerClock clock : read.clocks()) {
            Map<String, Map<String, LocalDate>> own = new HashMap<>();
            subs.get(clock.id()).forEach(s -> own.put(s.id(), read.lateBefore().getOrDefault(s.id(), Map.of())));
            CustomerRows customer = new CustomerRows(clock, read.prepaid().contains(clock.id()), List.copyOf(subs.get(clock.id())),
                    Map.copyOf(own), at);
            found.put(clock.id(), customer);
            if (remember) { // not inside a caller's transaction: what it wrote may never commit
                remembered.put(new Key(tenantId, clock.id()), customer);
            }
        }
        return found;
    }

    /** Forgets these customers' rows (a batch found one of them lacking a subscription or metric: it reads them again). */
    void forget(String tenantId, Collection<String> customerIds) {
        customerIds.forEach(id -> remembered.invalidate(new Key(tenantId, id)));
    }

    private TenantSettings settings(String tenantId, long at, boolean fresh) {
        TenantRow row = fresh ? null : settings.getIfPresent(tenantId);
        if (row != null && row.writes() == at) {
            return row.settings();
        }
        TenantSettings read = tenants.find(tenantId).orElseThrow().settings();
        if (!fresh) { // not inside a caller's transaction: what it wrote may never commit
            settings.put(tenantId, new TenantRow(read, at));
        }
        return read;
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.core.tax.TaxStatus;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.accrue.adapters.json.Json;
import dev.accrue.app.customer.CustomerQuery;
import dev.accrue.app.customer.CustomerRepository;
import dev.accrue.app.page.Page;
import dev.accrue.app.page.PageRequest;
import dev.accrue.core.customer.AccountType;
import dev.accrue.core.customer.BillingAddress;
import dev.accrue.core.customer.ChildInvoicing;
import dev.accrue.core.customer.CollectionMethod;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.customer.PaymentTerms;
import dev.accrue.core.time.Alignment;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.SqlStatement;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Currency;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

public final class PostgresCustomers implements CustomerRepository {
    private static final RowMapper<Customer> MAPPER = (rs, ctx) -> {
        Array emails = rs.getArray("billing_emails");
        String alignment = rs.getString("alignment");
        return new Customer(rs.getString("id"), rs.getString("external_id"), rs.getString("legal_name"),
                List.of((String[]) emails.getArray()),
                address(rs.getString("billing_address")),
                Currency.getInstance(rs.getString("currency")), ZoneId.of(rs.getString("time_zone")), rs.getString("tax_id"),
                TaxStatus.parse(rs.getString("tax_status")),
                alignment == null ? null : Alignment.fromWire(alignment),
                new PaymentTerms(CollectionMethod.valueOf(rs.getString("collection_method").toUpperCase(Locale.ROOT)), rs.getInt("net_days")),
                AccountType.valueOf(rs.getString("account_type").toUpperCase(Locale.ROOT)),
                readMap(rs.getString("metadata")),
                rs.getString("test_clock_id"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), rs.getInt("version"),
                rs.getObject("billing_cycle_day", Integer.class),
                rs.getString("parent_id"),
                rs.getString("invoicing") == null ? null : ChildInvoicing.valueOf(rs.getString("invoicing").toUpperCase(Locale.ROOT)));
    };
    private final JdbiTransactions tx;
    private final BillingHistory history;

    /** A customer row a billing batch read with its claim, kept for the batch's transaction until this repository writes it. */
    record Key(String tenantId, String id) {
    }

    /**
     * One query for the customers of a claimed billing batch, instead of one per subscription. They are not locked: a change
     * committed by another transaction meanwhile is seen as it would have been had this subscription been billed earlier in
     * the batch (the old code read it a moment later in the same batch, also without a lock).
     */
    static void learn(JdbiTransactions tx, List<Key> keys) {
        if (keys.isEmpty()) {
            return;
        }
        tx.handle().createQuery("""
                        SELECT c.* FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[])) AS k(tenant_id, id)
                        JOIN customers c ON c.tenant_id = k.tenant_id AND c.id = k.id""")
                .bindArray("tenants", String.class, keys.stream().map(Key::tenantId).toList())
                .bindArray("ids", String.class, keys.stream().map(Key::id).toList())
                .map((rs, ctx) -> {
                    tx.remember(new Key(rs.getString("tenant_id"), rs.getString("id")), MAPPER.map(rs, ctx));
                    return 0;
                }).list();
    }

    /** Remembers the customer on {@code rs}'s current row for the transaction (read with its subscription, see PostgresSubscriptions). */
    static void learn(JdbiTransactions tx, String tenantId, ResultSet rs, StatementContext ctx) throws SQLException {
        Customer c = MAPPER.map(rs, ctx);
        tx.remember(new Key(tenantId, c.id()), c);
    }

    public PostgresCustomers(JdbiTransactions tx) {
        this.tx = tx;
        this.history = new BillingHistory(tx);
    }

    @Override
    public void insert(String tenantId, Customer c) {
        bindAll(tx.handle().createUpdate("""
                INSERT INTO customers (tenant_id, id, external_id, legal_name, billing_emails, billing_address, currency, time_zone,
                  tax_id, tax_status, alignment, collection_method, net_days, account_type, metadata, test_clock_id, created_at, updated_at, version,
                  billing_cycle_day, parent_id, invoicing)
                VALUES (:tenant, :id, :external_id, :legal_name, :emails, CAST(:address AS jsonb), :currency, :time_zone,
                  :tax_id, :tax_status, :alignment, :collection_method, :net_days, :account_type, CAST(:metadata AS jsonb), :test_clock_id, :created_at, :updated_at, :version,
                  :billing_cycle_day, :parent_id, :invoicing)"""),
                tenantId, c).execute();
    }

    @Override
    public void update(String tenantId, Customer c) {
        tx.forget(new Key(tenantId, c.id()));
        bindAll(tx.handle().createUpdate("""
                UPDATE customers SET external_id = :external_id, legal_name = :legal_name, billing_emails = :emails,
                  billing_address = CAST(:address AS jsonb), currency = :currency, time_zone = :time_zone, tax_id = :tax_id, tax_status = :tax_status,
                  alignment = :alignment, collection_method = :collection_method, net_days = :net_days, account_type = :account_type,
                  metadata = CAST(:metadata AS jsonb), updated_at = :updated_at, version = :version,
                  billing_cycle_day = :billing_cycle_day, parent_id = :parent_id, invoicing = :invoicing
                WHERE tenant_id = :tenant AND id = :id"""), tenantId, c).execute();
    }

    private static <S extends SqlStatement<S>> S bindAll(S s, String tenantId, Customer c) {
        return s.bind("tenant", tenantId).bind("id", c.id()).bind("external_id", c.externalId()).bind("legal_name", c.legalName())
                .bindArray("emails", String.class, c.billingEmails())
                .bind("address", Json.write(c.billingAddress())).bind("currency", c.currency().getCurrencyCode())
                .bind("time_zone", c.timeZone().getId()).bind("tax_id", c.taxId()).bind("tax_status", c.taxStatus().wire())
                .bind("alignment", c.alignment() == null ? null : c.alignment().wire())
                .bind("collection_method", c.paymentTerms().collectionMethod().wire()).bind("net_days", c.paymentTerms().netDays())
                .bind("account_type", c.accountType().wire()).bind("metadata", Json.write(c.metadata())).bind("test_clock_id", c.testClockId())
                .bind("created_at", Rows.utc(c.createdAt())).bind("updated_at", Rows.utc(c.updatedAt())).bind("version", c.version())
                .bind("billing_cycle_day", c.billingCycleDay())
                .bind("parent_id", c.parentId()).bind("invoicing", c.invoicing() == null ? null : c.invoicing().wire());
    }

    @Override
    public Optional<Customer> find(String tenantId, String id) {
        Customer learned = tx.recall(new Key(tenantId, id));
        if (learned != null) {
            return Optional.of(learned);
        }
        return tx.handle().createQuery("SELECT * FROM customers WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public Optional<Customer> findForUpdate(String tenantId, String id) {
        return tx.handle().createQuery("SELECT * FROM customers WHERE tenant_id = :tenant AND id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", id).map(MAPPER).findOne();
    }

    @Override
    public List<Customer> findAll(String tenantId, java.util.Collection<String> ids) {
        return tx.handle().createQuery("SELECT * FROM customers WHERE tenant_id = :tenant AND id = ANY (:ids)")
                .bind("tenant", tenantId).bindArray("ids", String.class, List.copyOf(ids)).map(MAPPER).list();
    }

    @Override
    public Optional<Customer> findByExternalId(String tenantId, String externalId) {
        return tx.handle().createQuery("SELECT * FROM customers WHERE tenant_id = :tenant AND external_id = :ext")
                .bind("tenant", tenantId).bind("ext", externalId).map(MAPPER).findOne();
    }

    @Override
    public Page<Customer> list(String tenantId, CustomerQuery q, PageRequest page) {
        String like = q.text() == null ? null : "%" + q.text().toLowerCase(Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        var rows = tx.handle().createQuery("""
                        SELECT * FROM customers
                        WHERE tenant_id = :tenant AND (:after IS NULL OR id < :after)
                          AND (:like IS NULL OR lower(legal_name) LIKE :like OR lower(coalesce(external_id, '')) LIKE :like
                               OR lower(coalesce(tax_id, '')) LIKE :like OR EXISTS (SELECT 1 FROM unnest(billing_emails) e WHERE e LIKE :like))
                          AND (:email IS NULL OR :email = ANY (billing_emails))
                          AND (:ext IS NULL OR external_id = :ext)
                          AND (CAST(:parent AS text) IS NULL OR parent_id = :parent)
                        ORDER BY id DESC LIMIT :limit""")
                .bind("tenant", tenantId).bind("after", page.startingAfter()).bind("like", like)
                .bind("email", q.email() == null ? null : q.email().toLowerCase(Locale.ROOT)).bind("ext", q.externalId()).bind("parent", q.parentId())
                .bind("limit", page.limit() + 1).map(MAPPER).list();
        return Page.fromOverfetch(rows, page.limit());
    }

    @Override
    public boolean hasBillingHistory(String tenantId, String id) {
        return history.exists(tenantId, id);
    }

    @Override
    public void delete(String tenantId, String id) {
        tx.forget(new Key(tenantId, id));
        tx.handle().createUpdate("DELETE FROM customers WHERE tenant_id = :tenant AND id = :id").bind("tenant", tenantId).bind("id", id).execute();
    }

    @Override
    public void lockHierarchy(String tenantId) {
        tx.handle().createQuery("SELECT pg_advisory_xact_lock(hashtext('customer_hierarchy'), hashtext(:tenant))").bind("tenant", tenantId)
                .mapTo(String.class).one();
    }

    @Override
    public List<String> ancestors(String tenantId, String id) {
        // the hierarchy has no cycle (AccountHierarchy refuses one under the tenant's lock), so the walk ends at the top
        return tx.handle().createQuery("""
                        WITH RECURSIVE up (id, parent_id, depth) AS (
                            SELECT id, parent_id, 0 FROM customers WHERE tenant_id = :tenant AND id = :id
                            UNION ALL
                            SELECT c.id, c.parent_id, up.depth + 1 FROM customers c JOIN up ON c.tenant_id = :tenant AND c.id = up.parent_id
                        )
                        SELECT id FROM up ORDER BY depth""")
                .bind("tenant", tenantId).bind("id", id).mapTo(String.class).list();
    }

    @Override
    public List<String> childIds(String tenantId, String id) {
        return tx.handle().createQuery("SELECT id FROM customers WHERE tenant_id = :tenant AND parent_id = :id ORDER BY id")
                .bind("tenant", tenantId).bind("id", id).mapTo(String.class).list();
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parsed billing addresses by their stored JSON text: a usage view reads its customer's row each time, and parsing
     * the address was about a twentieth of the view's JVM time. Exact: the text is the whole input of the parse and the
     * address an immutable record; a changed address is a different text. Bounded: cleared when full.
     */
    private static final Map<String, BillingAddress> ADDRESSES = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int ADDRESSES_KEPT = 4096;

    private static BillingAddress address(String json) {
        if (json == null) {
            return read(null, BillingAddress.class);
        }
        BillingAddress known = ADDRESSES.get(json);
        if (known != null) {
            return known;
        }
        BillingAddress parsed = read(json, BillingAddress.class);
        if (parsed != null) {
            if (ADDRESSES.size() >= ADDRESSES_KEPT) {
                ADDRESSES.clear();
            }
            ADDRESSES.put(json, parsed);
        }
        return parsed;
    }

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    /** Metadata: usually empty; otherwise parsed once, straight into the map (a tree, then a conversion, parsed it twice). */
    private static Map<String, String> readMap(String json) {
        if ("{}".equals(json)) {
            return Map.of();
        }
        try {
            return Map.copyOf(Json.MAPPER.readValue(json, STRING_MAP));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.subscription.SubscriptionRepository.DueSubscription;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * What a billing batch learns in one query when it claims its subscriptions: which of them have no rows at all in the
 * tables a billing step reads per subscription (phone numbers, pauses, dated actions, add-ons, parked items, scheduled
 * price migrations, usage windows to re-check) or per customer (credit entries, credit wallets, coupon redemptions), and
 * whether the billing key of its next boundary is already invoiced (only the claiming transaction can invoice it now:
 * invoices of a subscription are written holding its row lock). Most
 * subscriptions have none, and each of those reads is a round trip; with this, a repository answers "none" from
 * memory for the rest of the transaction. Kept true by the repositories: an insert for a subscription (or customer)
 * forgets its absence first (rows never move between owners), and claimed subscriptions are locked, so the use cases
 * that add such rows to them wait for the batch to commit. A customer's credit entry or coupon redemption added by
 * another transaction meanwhile is missed only as it would be had it committed a moment later: with nothing there,
 * there is nothing to consume (the credit lock serializes consumers of entries that exist).
 */
final class AbsentRows {
    enum Table {
        PHONE_NUMBERS("phone_numbers", false, "x.subscription_id = c.id"),
        PAUSES("subscription_pauses", false, "x.subscription_id = c.id"),
        SCHEDULED_ACTIONS("subscription_scheduled_actions", false, "x.subscription_id = c.id"),
        ADD_ONS("subscription_add_ons", false, "x.subscription_id = c.id"),
        PENDING_ITEMS("pending_items", false, "x.subscription_id = c.id"),
        CREDIT_ENTRIES("customer_credit_entries", true, "x.customer_id = s.customer_id"),
        // what redemptionsFor reads: the subscription's own and its customer's customer-wide ones
        COUPON_REDEMPTIONS("coupon_redemptions", false, "(x.subscription_id = c.id OR (x.subscription_id IS NULL AND x.customer_id = s.customer_id))"),
        CREDIT_WALLETS("credit_wallets", true, "x.customer_id = s.customer_id"),
        // price migrations waiting for the subscription's next boundary
        PRICE_MOVES("price_migration_moves", false, "x.subscription_id = c.id AND x.status = 'scheduled'"),
        // billed usage windows to re-check (dirty, or still inside their settling time): what claimDirty would claim
        USAGE_TO_RECHECK("billed_usage", false, "x.subscription_id = c.id AND (x.dirty OR x.recheck_after IS NOT NULL)");

        private final String table;
        private final boolean byCustomer;
        private final String match;

        Table(String table, boolean byCustomer, String match) {
            this.table = table;
            this.byCustomer = byCustomer;
            this.match = match;
        }
    }

    /** Whether an invoice holds the billing key of the subscription's next boundary ({@code <subscription>:<next bill date>}). */
    private record BillingKey(String tenantId, String key) {
    }

    /** {@code owner}: the subscription's id, or the customer's for the tables kept per customer. */
    private record Absent(Table table, String tenantId, String owner) {
    }

    private AbsentRows() {
    }

    /** One query for the claimed batch: remembers, per subscription and table, that it has no rows there. */
    static void learn(JdbiTransactions tx, List<DueSubscription> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT c.tenant_id, c.id, s.customer_id");
        for (Table t : Table.values()) {
            sql.append(", EXISTS (SELECT 1 FROM ").append(t.table).append(" x WHERE x.tenant_id = c.tenant_id AND ").append(t.match).append(") AS ")
                    .append(t.name().toLowerCase(Locale.ROOT));
        }
        // the invoice the batch is about to issue first: its billing key is checked before anything is priced
        sql.append(", s.next_bill_date, EXISTS (SELECT 1 FROM invoices x WHERE x.tenant_id = c.tenant_id")
                .append(" AND x.billing_key = c.id || ':' || to_char(s.next_bill_date, 'YYYY-MM-DD'))")
                // or a section of a consolidated invoice (a consolidated child's period is billed on its parent's invoice)
                .append(" OR EXISTS (SELECT 1 FROM invoice_sections x WHERE x.tenant_id = c.tenant_id")
                .append(" AND x.billing_key = c.id || ':' || to_char(s.next_bill_date, 'YYYY-MM-DD')) AS next_key_billed");
        sql.append(" FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[])) AS c(tenant_id, id)")
                .append(" JOIN subscriptions s ON s.tenant_id = c.tenant_id AND s.id = c.id");
        tx.handle().createQuery(sql.toString())
                .bindArray("tenants", String.class, claimed.stream().map(DueSubscription::tenantId).toList())
                .bindArray("ids", String.class, claimed.stream().map(DueSubscription::subscriptionId).toList())
                .map((rs, ctx) -> {
                    for (Table t : Table.values()) {
                        if (!rs.getBoolean(t.name().toLowerCase(Locale.ROOT))) {
                            tx.remember(new Absent(t, rs.getString("tenant_id"), rs.getString(t.byCustomer ? "customer_id" : "id")), Boolean.TRUE);
                        }
                    }
                    LocalDate next = rs.getObject("next_bill_date", LocalDate.class);
                    if (next != null) {
                        tx.remember(new BillingKey(rs.getString("tenant_id"), rs.getString("id") + ":" + next), rs.getBoolean("next_key_billed"));
                    }
                    return 0;
                }).list();
    }

    /** Whether the billing key is known invoiced (true), known free (false), or not known in this transaction (null). */
    static Boolean billed(JdbiTransactions tx, String tenantId, String billingKey) {
        return tx.recall(new BillingKey(tenantId, billingKey));
    }

    /** After inserting an invoice under {@code billingKey} (kept true: the batch's next check of it needs no read). */
    static void invoiced(JdbiTransactions tx, String tenantId, String billingKey) {
        BillingKey key = new BillingKey(tenantId, billingKey);
        if (tx.remembers(key)) {
            tx.remember(key, Boolean.TRUE);
        }
    }

    /** Whether the subscription (the customer, for a table kept per customer) is known, in this transaction, to have no rows in {@code table}. */
    static boolean known(JdbiTransactions tx, Table table, String tenantId, String owner) {
        return tx.remembers(new Absent(table, tenantId, owner));
    }

    /** Remembers that the subscription (the customer, for a table kept per customer) has no rows in {@code table}, found by the caller's own query. */
    static void none(JdbiTransactions tx, Table table, String tenantId, String owner) {
        tx.remember(new Absent(table, tenantId, owner), Boolean.TRUE);
    }

    /** Before inserting a row that applies to every subscription of a customer (a customer-wide coupon) into {@code table}. */
    static void addingForCustomer(JdbiTransactions tx, Table table) {
        tx.forgetIf(key -> key instanceof Absent a && a.table() == table);
    }

    /** Before inserting a row for the subscription (or customer) into {@code table}. */
    static void adding(JdbiTransactions tx, Table table, String tenantId, String owner) {
        tx.forget(new Absent(table, tenantId, owner));
    }
}

package dev.accrue.adapters.postgres;

import dev.accrue.app.subscription.SubscriptionRepository.DueSubscription;

import java.util.List;
import java.util.Locale;

/**
 * What a billing batch learns in one query when it claims its subscriptions: which of them have no rows at all in the
 * tables a billing step reads per subscription (phone numbers, pauses, dated actions, add-ons, parked items). Most
 * subscriptions have none, and each of those reads is a round trip; with this, a repository answers "none" from
 * memory for the rest of the transaction. Kept true by the repositories: an insert for a subscription forgets its
 * absence first (rows never move between subscriptions), and claimed subscriptions are locked, so the use cases
 * that add such rows (which lock the subscription too) wait for the batch to commit.
 */
final class AbsentRows {
    enum Table {
        PHONE_NUMBERS("phone_numbers"), PAUSES("subscription_pauses"), SCHEDULED_ACTIONS("subscription_scheduled_actions"),
        ADD_ONS("subscription_add_ons"), PENDING_ITEMS("pending_items");

        private final String table;

        Table(String table) {
            this.table = table;
        }
    }

    private record Absent(Table table, String tenantId, String subscriptionId) {
    }

    private AbsentRows() {
    }

    /** One query for the claimed batch: remembers, per subscription and table, that it has no rows there. */
    static void learn(JdbiTransactions tx, List<DueSubscription> claimed) {
        if (claimed.isEmpty()) {
            return;
        }
        StringBuilder sql = new StringBuilder("SELECT c.tenant_id, c.id");
        for (Table t : Table.values()) {
            sql.append(", EXISTS (SELECT 1 FROM ").append(t.table).append(" x WHERE x.tenant_id = c.tenant_id AND x.subscription_id = c.id) AS ")
                    .append(t.name().toLowerCase(Locale.ROOT));
        }
        sql.append(" FROM unnest(CAST(:tenants AS text[]), CAST(:ids AS text[])) AS c(tenant_id, id)");
        tx.handle().createQuery(sql.toString())
                .bindArray("tenants", String.class, claimed.stream().map(DueSubscription::tenantId).toList())
                .bindArray("ids", String.class, claimed.stream().map(DueSubscription::subscriptionId).toList())
                .map((rs, ctx) -> {
                    for (Table t : Table.values()) {
                        if (!rs.getBoolean(t.name().toLowerCase(Locale.ROOT))) {
                            tx.remember(new Absent(t, rs.getString("tenant_id"), rs.getString("id")), Boolean.TRUE);
                        }
                    }
                    return 0;
                }).list();
    }

    /** Whether the subscription is known, in this transaction, to have no rows in {@code table}. */
    static boolean known(JdbiTransactions tx, Table table, String tenantId, String subscriptionId) {
        return tx.remembers(new Absent(table, tenantId, subscriptionId));
    }

    /** Before inserting a row for the subscription into {@code table}. */
    static void adding(JdbiTransactions tx, Table table, String tenantId, String subscriptionId) {
        tx.forget(new Absent(table, tenantId, subscriptionId));
    }
}

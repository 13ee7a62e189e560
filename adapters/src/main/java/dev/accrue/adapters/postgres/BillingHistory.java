package dev.accrue.adapters.postgres;

import java.util.List;

/**
 * Whether anything billed references a customer. Every billing table (subscriptions, invoices, wallet
 * entries …) declares a foreign key (tenant_id, customer_id) → customers; this asks the database for those
 * tables instead of keeping a list that a new feature could forget to extend. The same foreign keys make a
 * raw DELETE of such a customer fail, so the rule holds even if this check were bypassed. Usage events carry no
 * foreign key (V45, for ingestion throughput); every event belongs to a subscription, which does. A customer's
 * settings (alert rules, budgets) reference it ON DELETE CASCADE: they are not history and go with it. A child account's
 * reference to its parent (customers.parent_id) is not billing history either: a parent with children is refused by
 * its own rule (customer_has_children).
 */
final class BillingHistory {
    private final JdbiTransactions tx;

    BillingHistory(JdbiTransactions tx) {
        this.tx = tx;
    }

    boolean exists(String tenantId, String customerId) {
        List<String> tables = tx.handle().createQuery("""
                        SELECT c.conrelid::regclass::text AS table_name
                        FROM pg_constraint c
                        WHERE c.contype = 'f' AND c.confrelid = 'customers'::regclass AND c.confdeltype <> 'c'
                          AND c.conrelid <> 'customers'::regclass""")
                .mapTo(String.class).list();
        for (String table : tables) {
            boolean any = tx.handle().createQuery("SELECT EXISTS (SELECT 1 FROM " + table + " WHERE tenant_id = :tenant AND customer_id = :id)")
                    .bind("tenant", tenantId).bind("id", customerId).mapTo(Boolean.class).one();
            if (any) {
                return true;
            }
        }
        return false;
    }
}

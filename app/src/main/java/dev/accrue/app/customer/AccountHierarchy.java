package dev.accrue.app.customer;

import dev.accrue.core.customer.AccountType;
import dev.accrue.core.customer.ChildInvoicing;
import dev.accrue.core.customer.Customer;
import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.time.Alignment;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The one place that decides whether a customer may have the parent it asks for (docs/billing.md#account-hierarchies).
 * A parent pays its children's invoices, so the two must be able to share money and time: same tenant (another tenant's
 * id is unknown here), same currency, same test clock (or none), and the chain of parents must never come back to the
 * child. Checked as a whole before anything is written; a refusal changes nothing.
 *
 * <p>Two concurrent requests could each add one half of a cycle (A under B, B under A) while each sees none: every
 * change of a parent therefore takes the tenant's hierarchy lock first (a transaction-scoped advisory lock), so such
 * changes of one tenant run one after the other and each sees the other's result.
 */
final class AccountHierarchy {
    private final CustomerRepository customers;

    AccountHierarchy(CustomerRepository customers) {
        this.customers = customers;
    }

    /** {@code before} is null on creation. Throws when {@code after}'s place in the hierarchy is not allowed. */
    void check(String tenantId, Customer before, Customer after) {
        boolean parentChanged = before == null ? after.parentId() != null : !Objects.equals(before.parentId(), after.parentId());
        if (parentChanged) {
            customers.lockHierarchy(tenantId);
        }
        if (before != null && !before.currency().equals(after.currency())) {
            List<String> children = customers.childIds(tenantId, after.id());
            if (!children.isEmpty()) {
                throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "currency",
                        "Customer " + after.id() + " pays for " + String.join(", ", children) + " in " + before.currency().getCurrencyCode()
                        + "; its currency cannot change while it has children",
                        Map.of("child_ids", children));
            }
        }
        if (before != null && billsOnOtherDays(before, after)) {
            for (Customer child : customers.findAll(tenantId, customers.childIds(tenantId, after.id()))) {
                if (child.invoicing() == ChildInvoicing.CONSOLIDATED) {
                    requireConsolidable(after, child); // a parent's own change must not split its consolidated invoice
                }
            }
        }
        if (after.parentId() == null) {
            return;
        }
        if (after.parentId().equals(after.id())) {
            throw cycle(after, List.of(after.id(), after.id()));
        }
        Customer parent = customers.find(tenantId, after.parentId())
                .orElseThrow(() -> new AccrueException(ErrorCode.NOT_FOUND, "parent_id", "No customer with id '" + after.parentId() + "' to be the parent"));
        if (!parent.currency().equals(after.currency())) {
            throw new AccrueException(ErrorCode.CURRENCY_MISMATCH, "parent_id",
                    "Parent " + parent.id() + " is billed in " + parent.currency().getCurrencyCode() + " and this customer in "
                    + after.currency().getCurrencyCode() + "; a parent pays its children's invoices, so both must use one currency");
        }
        if (!Objects.equals(parent.testClockId(), after.testClockId())) {
            throw AccrueException.invalid("parent_id", "Parent " + parent.id() + " is on " + describeClock(parent.testClockId()) + " and this customer on "
                    + describeClock(after.testClockId()) + "; a parent collects its children's invoices on their time, so both must share it");
        }
        if (after.invoicing() == ChildInvoicing.CONSOLIDATED) {
            requireConsolidable(parent, after);
        }
        if (parentChanged) {
            List<String> chain = customers.ancestors(tenantId, parent.id());
            int at = chain.indexOf(after.id());
            if (at >= 0) {
                List<String> path = new ArrayList<>();
                path.add(after.id());
                path.addAll(chain.subList(0, at + 1));
                throw cycle(after, path);
            }
        }
    }

    /**
     * A consolidated child's charges go on its parent's invoice of the same day, so the two must bill on the same days:
     * the same time zone (a billing date is a local date), the same preferred alignment and billing cycle day (what its
     * new subscriptions bill on), and postpaid both (a prepaid account's documents are paid from its own wallet).
     */
    private static void requireConsolidable(Customer parent, Customer child) {
        String who = "Consolidated child " + child.id() + " and parent " + parent.id();
        if (!parent.timeZone().equals(child.timeZone())) {
            throw AccrueException.invalid("invoicing", who + " are in time zones " + child.timeZone().getId() + " and " + parent.timeZone().getId()
                    + "; one invoice per day needs one time zone");
        }
        if (!Objects.equals(parent.alignment(), child.alignment()) || !Objects.equals(parent.billingCycleDay(), child.billingCycleDay())) {
            throw AccrueException.invalid("invoicing", who + " bill on different cycles (alignment " + wire(child.alignment()) + " / "
                    + wire(parent.alignment()) + ", billing_cycle_day " + child.billingCycleDay() + " / " + parent.billingCycleDay()
                    + "); a consolidated invoice gathers one billing date");
        }
        if (parent.accountType() == AccountType.PREPAID || child.accountType() == AccountType.PREPAID) {
            throw AccrueException.invalid("invoicing", who + ": a prepaid account pays its own documents from its wallet; consolidated invoicing "
                    + "needs postpaid accounts");
        }
    }

    private static boolean billsOnOtherDays(Customer before, Customer after) {
        return !before.timeZone().equals(after.timeZone()) || !Objects.equals(before.alignment(), after.alignment())
               || !Objects.equals(before.billingCycleDay(), after.billingCycleDay()) || before.accountType() != after.accountType();
    }

    private static String wire(Alignment alignment) {
        return alignment == null ? "none" : alignment.wire();
    }

    /** Deleting a parent would leave its children without their payer. */
    void requireNoChildren(String tenantId, String id) {
        List<String> children = customers.childIds(tenantId, id);
        if (!children.isEmpty()) {
            throw new AccrueException(ErrorCode.CUSTOMER_HAS_CHILDREN, null, "Customer " + id + " is the parent of " + String.join(", ", children)
                    + "; move or detach them (PATCH parent_id) first", Map.of("child_ids", children));
        }
    }

    private static AccrueException cycle(Customer child, List<String> path) {
        return new AccrueException(ErrorCode.CUSTOMER_HIERARCHY_CYCLE, "parent_id",
                "Making " + child.parentId() + " the parent of " + child.id() + " would close a cycle: " + String.join(" → ", path),
                Map.of("cycle", path));
    }

    private static String describeClock(String clockId) {
        return clockId == null ? "real time" : "test clock " + clockId;
    }
}

package dev.accrue.core.customer;

import dev.accrue.core.error.AccrueException;

import java.util.Locale;

/**
 * How a child account of a hierarchy is invoiced. {@code SEPARATE}: on its own documents (its name, address and taxes),
 * which its parent pays — collected from the parent's payment methods under the parent's terms, emailed to the
 * parent's billing emails as well. {@code CONSOLIDATED}: the child's charges go on its parent's one invoice of the day
 * (a section per child, under the child's name), which the parent is billed for and pays.
 */
public enum ChildInvoicing {
    SEPARATE,
    CONSOLIDATED;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A child without a choice is invoiced separately. An account without a parent has no invoicing mode (null), whatever
     * was sent: removing {@code parent_id} with a merge patch must not trip over the mode the child had.
     */
    public static ChildInvoicing of(String value, String parentId) {
        if (parentId == null) {
            return null;
        }
        if (value == null || value.equals("separate")) {
            return SEPARATE;
        }
        if (value.equals("consolidated")) {
            return CONSOLIDATED;
        }
        throw AccrueException.invalid("invoicing", "invoicing must be 'separate' or 'consolidated', got '" + value + "'");
    }
}

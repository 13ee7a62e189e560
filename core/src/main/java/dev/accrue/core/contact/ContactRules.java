package dev.accrue.core.contact;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of contact syncs and pushed counts: every problem is refused before anything is written. */
public final class ContactRules {
    /** Most contacts one sync request may upsert plus delete. */
    public static final int MAX_BATCH = 1000;
    private static final Pattern ID = Pattern.compile("^[A-Za-z0-9_.:@/+=-]{1,200}$");
    private static final int MAX_TEXT = 320;

    private ContactRules() {
    }

    /** Checks a sync batch; the fields named in errors are {@code upsert[i].email}, {@code delete[j]}. */
    public static void checkSync(List<Contact> upsert, List<String> delete) {
        if (upsert.size() + delete.size() > MAX_BATCH) {
            throw new AccrueException(ErrorCode.BATCH_TOO_LARGE, "upsert",
                    "A sync may upsert and delete at most " + MAX_BATCH + " contacts, got " + (upsert.size() + delete.size()));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < upsert.size(); i++) {
            Contact c = upsert.get(i);
            String path = "upsert[" + i + "]";
            if (c == null) {
                throw AccrueException.invalid(path, path + " must be a contact object");
            }
            checkId(path + ".id", c.id());
            if (!seen.add(c.id())) {
                throw new AccrueException(ErrorCode.DUPLICATE_IN_BATCH, path + ".id", "Contact '" + c.id() + "' appears twice in this sync");
            }
            text(path + ".email", c.email());
            text(path + ".phone", c.phone());
            text(path + ".user_id", c.userId());
            if (c.email() != null && !c.email().isBlank() && !c.email().contains("@")) {
                throw AccrueException.invalid(path + ".email", "email must be an address with an @, got '" + c.email() + "'");
            }
        }
        for (int j = 0; j < delete.size(); j++) {
            checkId("delete[" + j + "]", delete.get(j));
            if (!seen.add(delete.get(j))) {
                throw new AccrueException(ErrorCode.DUPLICATE_IN_BATCH, "delete[" + j + "]",
                        "Contact '" + delete.get(j) + "' appears twice in this sync");
            }
        }
    }

    public static void checkId(String field, String id) {
        if (id == null || id.isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, field, field + " is required (your id of the contact)");
        }
        if (!ID.matcher(id).matches()) {
            throw AccrueException.invalid(field, field + " must be 1-200 characters of letters, digits and _ . : @ / + = -");
        }
    }

    /** A pushed count: a whole number of zero or more. */
    public static long checkCount(java.math.BigDecimal count) {
        if (count == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "count", "count is required (the number of qualifying contacts)");
        }
        if (count.signum() < 0) {
            throw new AccrueException(ErrorCode.NEGATIVE_COUNT, "count", "count must be zero or more, got " + count.toPlainString());
        }
        if (count.stripTrailingZeros().scale() > 0 || count.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw AccrueException.invalid("count", "count must be a whole number, got " + count.toPlainString());
        }
        return count.longValueExact();
    }

    private static void text(String field, String value) {
        if (value != null && value.length() > MAX_TEXT) {
            throw AccrueException.invalid(field, field + " is longer than " + MAX_TEXT + " characters");
        }
    }
}

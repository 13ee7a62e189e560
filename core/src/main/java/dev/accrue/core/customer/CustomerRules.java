package dev.accrue.core.customer;

import dev.accrue.core.error.AccrueException;
import dev.accrue.core.error.ErrorCode;
import dev.accrue.core.money.Money;
import dev.accrue.core.time.Alignment;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The validation rules of a billing account, shared by create and update. Each check fails with the
 * offending field's wire path so a client can point at it.
 */
public final class CustomerRules {
    public static final int MAX_NAME = 200;
    public static final int MAX_EMAILS = 10;
    public static final int MAX_METADATA_KEYS = 50;
    private static final Pattern EMAIL = Pattern.compile("^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final Pattern TAX_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ./-]{1,63}$");
    private static final Pattern EXTERNAL_ID = Pattern.compile("^[A-Za-z0-9_.:@-]{1,128}$");
    private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

    private CustomerRules() {
    }

    public static String legalName(String value) {
        String name = required("legal_name", value);
        if (name.length() > MAX_NAME) {
            throw AccrueException.invalid("legal_name", "legal_name must be at most " + MAX_NAME + " characters");
        }
        return name;
    }

    public static List<String> billingEmails(List<String> values) {
        if (values == null || values.isEmpty()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "billing_emails", "billing_emails needs at least one address");
        }
        if (values.size() > MAX_EMAILS) {
            throw AccrueException.invalid("billing_emails", "billing_emails holds at most " + MAX_EMAILS + " addresses");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String email = values.get(i) == null ? "" : values.get(i).trim();
            if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
                throw AccrueException.invalid("billing_emails[" + i + "]", "'" + values.get(i) + "' is not an email address");
            }
            if (!out.contains(email.toLowerCase(Locale.ROOT))) {
                out.add(email.toLowerCase(Locale.ROOT));
            }
        }
        return List.copyOf(out);
    }

    public static BillingAddress billingAddress(CustomerDraft.AddressDraft a) {
        if (a == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "billing_address", "billing_address is required");
        }
        String country = required("billing_address.country", a.country()).toUpperCase(Locale.ROOT);
        if (!COUNTRIES.contains(country)) {
            throw AccrueException.invalid("billing_address.country", "billing_address.country must be an ISO 3166-1 alpha-2 code, got '" + a.country() + "'");
        }
        return new BillingAddress(
                bounded("billing_address.line1", required("billing_address.line1", a.line1()), 200),
                optional("billing_address.line2", a.line2(), 200),
                bounded("billing_address.city", required("billing_address.city", a.city()), 100),
                optional("billing_address.region", a.region(), 100),
                optional("billing_address.postal_code", a.postalCode(), 20),
                country);
    }

    public static Currency currency(String code) {
        if (code == null) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, "currency", "currency is required (ISO 4217, e.g. USD)");
        }
        return Money.currency(code);
    }

    public static ZoneId timeZone(String value) {
        if (value == null) {
            return ZoneId.of("UTC");
        }
        try {
            if (!ZoneId.getAvailableZoneIds().contains(value) && !value.equals("UTC")) {
                throw new DateTimeException(value);
            }
            return ZoneId.of(value);
        } catch (DateTimeException e) {
            throw new AccrueException(ErrorCode.INVALID_TIME_ZONE, "time_zone",
                    "time_zone must be an IANA zone such as Europe/Paris or America/New_York, got '" + value + "'");
        }
    }

    public static String taxId(String value) {
        if (value == null) {
            return null;
        }
        String t = value.trim();
        if (!TAX_ID.matcher(t).matches()) {
            throw AccrueException.invalid("tax_id", "tax_id must be 2-64 letters, digits, spaces, '.', '/' or '-'");
        }
        return t;
    }

    public static String externalId(String value) {
        if (value == null) {
            return null;
        }
        if (!EXTERNAL_ID.matcher(value).matches()) {
            throw AccrueException.invalid("external_id", "external_id must be 1-128 characters of letters, digits and _ . : @ -");
        }
        return value;
    }

    /** Null means "follow the alignment"; otherwise a day of the month, 1–31 (clamped to shorter months' end when billed). */
    public static Integer billingCycleDay(Integer value) {
        if (value != null && (value < 1 || value > 31)) {
            throw AccrueException.invalid("billing_cycle_day", "billing_cycle_day must be a day of the month, 1-31, got " + value);
        }
        return value;
    }

    /** Null means "follow the plan's default alignment". */
    public static Alignment alignment(String value) {
        if (value == null) {
            return null;
        }
        Alignment a = Alignment.fromWire(value);
        if (a == null) {
            throw AccrueException.invalid("alignment", "alignment must be 'calendar' or 'anniversary', got '" + value + "'");
        }
        return a;
    }

    public static PaymentTerms paymentTerms(CustomerDraft.TermsDraft t) {
        if (t == null) {
            return new PaymentTerms(CollectionMethod.AUTO_PAY, 0);
        }
        CollectionMethod method = CollectionMethod.AUTO_PAY;
        if (t.collectionMethod() != null) {
            method = switch (t.collectionMethod()) {
                case "auto_pay" -> CollectionMethod.AUTO_PAY;
                case "manual" -> CollectionMethod.MANUAL;
                default -> throw AccrueException.invalid("payment_terms.collection_method",
                        "payment_terms.collection_method must be 'auto_pay' or 'manual', got '" + t.collectionMethod() + "'");
            };
        }
        int net = t.netDays() == null ? 0 : t.netDays();
        if (net < 0 || net > PaymentTerms.MAX_NET_DAYS) {
            throw AccrueException.invalid("payment_terms.net_days", "payment_terms.net_days must be between 0 and " + PaymentTerms.MAX_NET_DAYS + ", got " + net);
        }
        return new PaymentTerms(method, net);
    }

    public static AccountType accountType(String value) {
        if (value == null) {
            return AccountType.POSTPAID;
        }
        return switch (value) {
            case "prepaid" -> AccountType.PREPAID;
            case "postpaid" -> AccountType.POSTPAID;
            default -> throw AccrueException.invalid("account_type", "account_type must be 'prepaid' or 'postpaid', got '" + value + "'");
        };
    }

    public static Map<String, String> metadata(Map<String, String> values) {
        if (values == null) {
            return Map.of();
        }
        if (values.size() > MAX_METADATA_KEYS) {
            throw AccrueException.invalid("metadata", "metadata holds at most " + MAX_METADATA_KEYS + " keys");
        }
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k == null || k.isBlank() || k.length() > 40) {
                throw AccrueException.invalid("metadata", "metadata keys must be 1-40 characters");
            }
            if (v == null || v.length() > 500) {
                throw AccrueException.invalid("metadata." + k, "metadata values must be strings of at most 500 characters");
            }
            out.put(k, v);
        });
        return Map.copyOf(out);
    }

    private static String required(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new AccrueException(ErrorCode.MISSING_FIELD, field, field + " is required");
        }
        return value.trim();
    }

    private static String optional(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return bounded(field, value.trim(), max);
    }

    private static String bounded(String field, String value, int max) {
        if (value.length() > max) {
            throw AccrueException.invalid(field, field + " must be at most " + max + " characters");
        }
        return value;
    }
}

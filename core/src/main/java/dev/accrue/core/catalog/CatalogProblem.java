package dev.accrue.core.catalog;

/**
 * One thing wrong with a catalog document: a stable {@code code}, where it is ({@code path} such as
 * {@code plans[2].charges[0].metric}) and a message a person can act on. The reader adds the file name.
 */
public record CatalogProblem(String code, String path, String message, String file, Integer line, Integer column) {
    public CatalogProblem(String code, String path, String message) {
        this(code, path, message, null, null, null);
    }

    public CatalogProblem inFile(String fileName) {
        return new CatalogProblem(code, path, message, fileName, line, column);
    }

    public static final String MISSING_FIELD = "missing_field";
    public static final String INVALID_VALUE = "invalid_value";
    public static final String DUPLICATE_CODE = "duplicate_code";
    public static final String UNKNOWN_REFERENCE = "unknown_reference";
    public static final String INVALID_CURRENCY = "invalid_currency";
    public static final String UNDECLARED_CURRENCY = "undeclared_currency";
    public static final String MISSING_PRICE = "missing_price";
    public static final String NEGATIVE_AMOUNT = "negative_amount";
    public static final String INVALID_AMOUNT = "invalid_amount";
    public static final String TIERS_NOT_ASCENDING = "tiers_not_ascending";
    public static final String LAST_TIER_BOUNDED = "last_tier_bounded";
    public static final String CAP_WITHOUT_CAP_POLICY = "cap_without_cap_policy";
    public static final String CAP_MISSING = "cap_missing";
    public static final String WEEKLY_NEEDS_PRICE = "weekly_needs_price";
    public static final String DISCOUNT_OUT_OF_RANGE = "discount_out_of_range";
    public static final String PRICING_CONFLICT = "pricing_conflict";
    public static final String WRONG_FEATURE_TYPE = "wrong_feature_type";
    /** A value the format names but billing does not implement: refused rather than accepted and ignored. */
    public static final String NOT_SUPPORTED = "not_supported";
    // raised by the document reader, before the model exists
    public static final String SYNTAX_ERROR = "syntax_error";
    public static final String TOO_LARGE = "too_large";
    public static final String UNKNOWN_KEY = "unknown_key";
    public static final String WRONG_TYPE = "wrong_type";

    @Override
    public String toString() {
        String where = (file == null ? "" : file + ":") + (line == null ? "" : line + ":" + column + ": ");
        return where + (path == null || path.isEmpty() ? "" : path + ": ") + message + " [" + code + "]";
    }
}

package dev.accrue.core.catalog;

import java.util.List;
import java.util.Map;

/**
 * A billable metric: how usage events with this {@code code} aggregate into a quantity per period.
 * {@code field} is the event property aggregated (not used by COUNT); {@code filters} keep only events whose
 * property is one of the listed values (e.g. smtp: [platform] to leave custom-SMTP sends uncounted);
 * {@code groupBy} are the dimensions usage is broken down and rated by (e.g. direction, country).
 * {@code allowNegative} (SUM only) accepts negative values: adjustments within the sum (a refunded job, seconds
 * credited back); a window's negative total is billed as zero.
 */
public record Metric(String code, String name, Aggregation aggregation, String field, String unit,
                     Map<String, List<String>> filters, List<String> groupBy, boolean allowNegative) {
    public Metric {
        filters = Lists.orEmpty("filters", filters);
        groupBy = Lists.orEmpty("group_by", groupBy);
    }

    public Metric(String code, String name, Aggregation aggregation, String field, String unit, Map<String, List<String>> filters,
                  List<String> groupBy) {
        this(code, name, aggregation, field, unit, filters, groupBy, false);
    }
}

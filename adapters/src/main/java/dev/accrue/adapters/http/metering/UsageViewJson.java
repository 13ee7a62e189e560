package dev.accrue.adapters.http.metering;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.accrue.adapters.json.Json;
import dev.accrue.app.metering.UsageView;
import dev.accrue.core.addon.AllowanceSources;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Map;

/**
 * The usage view's answer written field by field with Jackson's streaming generator: the same bytes {@link Json#write}
 * gives for a {@link UsageView} (snake_case names in declaration order, decimals and dates as strings, nulls written),
 * without the bean serializers' per-property reflection over ~40 dimensions per view. {@code UsageViewJsonTest} holds the
 * two byte for byte; a field added to the record must be added here too.
 */
final class UsageViewJson {
    private UsageViewJson() {
    }

    static byte[] write(UsageView view) {
        // written as characters, then encoded, as Json.write's String is: the UTF-8 generator would write a character beyond
        // U+FFFF in a dimension key (an emoji) as two escaped surrogates where the String writer keeps it whole
        StringWriter out = new StringWriter(256 + 96 * view.charges().stream().mapToInt(c -> c.byDimension().size() + 8).sum());
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("subscription_id", view.subscriptionId());
            date(g, "period_start", view.periodStart());
            date(g, "period_end", view.periodEnd());
            date(g, "as_of", view.asOf());
            g.writeArrayFieldStart("charges");
            for (UsageView.ChargeUsage c : view.charges()) {
                g.writeStartObject();
                g.writeStringField("charge", c.charge());
                g.writeStringField("metric", c.metric());
                g.writeStringField("unit", c.unit());
                decimal(g, "used", c.used());
                decimal(g, "included", c.included());
                decimal(g, "remaining", c.remaining());
                decimal(g, "percent_used", c.percentUsed());
                decimal(g, "projected", c.projected());
                g.writeStringField("cost_so_far", c.costSoFar());
                g.writeStringField("projected_cost", c.projectedCost());
                g.writeObjectFieldStart("by_dimension");
                for (Map.Entry<String, BigDecimal> d : c.byDimension().entrySet()) {
                    decimal(g, d.getKey(), d.getValue());
                }
                g.writeEndObject();
                g.writeArrayFieldStart("allowances");
                for (AllowanceSources.Consumed a : c.allowances()) {
                    g.writeStartObject();
                    g.writeStringField("source", a.source());
                    g.writeStringField("kind", a.kind() == null ? null : a.kind().name().toLowerCase(Locale.ROOT));
                    decimal(g, "granted", a.granted());
                    decimal(g, "used", a.used());
                    decimal(g, "remaining", a.remaining());
                    date(g, "expires_on", a.expiresOn());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void decimal(JsonGenerator g, String name, BigDecimal value) throws IOException {
        g.writeStringField(name, value == null ? null : value.toPlainString());
    }

    private static void date(JsonGenerator g, String name, LocalDate value) throws IOException {
        g.writeStringField(name, value == null ? null : value.toString());
    }
}

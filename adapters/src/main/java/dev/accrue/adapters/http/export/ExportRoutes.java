package dev.accrue.adapters.http.export;

import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.export.InvoiceExport;
import dev.accrue.core.error.AccrueException;
import io.javalin.Javalin;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * /v1/exports: issued invoices and their lines for a period of issue dates, as CSV (RFC 4180, a header row,
 * one file per list) or JSON, for accountants.
 */
public final class ExportRoutes {
    private static final CsvMapper CSV = CsvMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build(); // columns in the rows' declared order
    private final InvoiceExport exports;

    public ExportRoutes(InvoiceExport exports) {
        this.exports = exports;
    }

    public void register(Javalin app) {
        app.get("/v1/exports/invoices", ctx -> {
            var e = export(ctx);
            respond(ctx, "invoices", e, e.invoices(), InvoiceExport.InvoiceRow.class);
        });
        app.get("/v1/exports/invoice_lines", ctx -> {
            var e = export(ctx);
            respond(ctx, "invoice_lines", e, e.lines(), InvoiceExport.LineRow.class);
        });
    }

    private InvoiceExport.Export export(Context ctx) {
        return exports.period(Requests.caller(ctx), Requests.date(ctx, "from"), Requests.date(ctx, "to"));
    }

    private static <T> void respond(Context ctx, String name, InvoiceExport.Export e, List<T> rows, Class<T> type) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "json" -> Responses.json(ctx, 200, Map.of("object", "export", "from", e.from().toString(), "to", e.to().toString(), "data", rows));
            case "csv" -> {
                CsvSchema schema = CSV.schemaFor(type).withHeader().withUseHeader(true);
                StringWriter out = new StringWriter();
                try (SequenceWriter w = CSV.writer(schema).writeValues(out)) {
                    w.writeAll(rows);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                ctx.status(200).contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"" + name + "-" + e.from() + "-" + e.to() + ".csv\"").result(out.toString());
            }
            default -> throw AccrueException.invalid("format", "format must be csv or json, got '" + format + "'");
        }
    }
}

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
import dev.accrue.app.export.CreditNoteExport;
import dev.accrue.app.export.InvoiceExport;
import dev.accrue.app.export.TaxReport;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /v1/exports: issued invoices and their lines, credit notes and their lines, for a period of issue dates, and the tax report of the period, as
 * CSV (RFC 4180, a header row, one file per list) or JSON, for accountants.
 */
public final class ExportRoutes {
    private static final CsvMapper CSV = CsvMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .addModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY).build(); // columns in the rows' declared order
    private final InvoiceExport exports;
    private final TaxReport taxReport;
    private final CreditNoteExport creditNotes;

    public ExportRoutes(InvoiceExport exports, TaxReport taxReport, CreditNoteExport creditNotes) {
        this.exports = exports;
        this.taxReport = taxReport;
        this.creditNotes = creditNotes;
    }

    public void register(RoutesConfig app) {
        app.get("/v1/exports/invoices", ctx -> {
            var e = export(ctx);
            respond(ctx, "invoices", e, e.invoices(), InvoiceExport.InvoiceRow.class);
        });
        app.get("/v1/exports/invoice_lines", ctx -> {
            var e = export(ctx);
            respond(ctx, "invoice_lines", e, e.lines(), InvoiceExport.LineRow.class);
        });
        app.get("/v1/exports/credit_notes", ctx -> {
            var e = creditNotes.period(Requests.caller(ctx), Requests.date(ctx, "from"), Requests.date(ctx, "to"));
            respond(ctx, "credit_notes", e.from(), e.to(), e.notes(), CreditNoteExport.NoteRow.class, Map.of());
        });
        app.get("/v1/exports/credit_note_lines", ctx -> {
            var e = creditNotes.period(Requests.caller(ctx), Requests.date(ctx, "from"), Requests.date(ctx, "to"));
            respond(ctx, "credit_note_lines", e.from(), e.to(), e.lines(), CreditNoteExport.LineRow.class, Map.of());
        });
        app.get("/v1/exports/tax_report", ctx -> {
            var r = taxReport.period(Requests.caller(ctx), Requests.date(ctx, "from"), Requests.date(ctx, "to"));
            respond(ctx, "tax_report", r.from(), r.to(), r.rows(), TaxReport.Row.class, Map.of("totals", r.totals()));
        });
    }

    private InvoiceExport.Export export(Context ctx) {
        return exports.period(Requests.caller(ctx), Requests.date(ctx, "from"), Requests.date(ctx, "to"));
    }

    private static <T> void respond(Context ctx, String name, InvoiceExport.Export e, List<T> rows, Class<T> type) {
        respond(ctx, name, e.from(), e.to(), rows, type, Map.of());
    }

    /** JSON: the rows as {@code data} with {@code extra} beside them; CSV: the rows alone. */
    private static <T> void respond(Context ctx, String name, LocalDate from, LocalDate to, List<T> rows, Class<T> type, Map<String, Object> extra) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        switch (format) {
            case "json" -> {
                Map<String, Object> body = new LinkedHashMap<>(Map.of("object", "export", "from", from.toString(), "to", to.toString(), "data", rows));
                body.putAll(extra);
                Responses.json(ctx, 200, body);
            }
            case "csv" -> {
                CsvSchema schema = CSV.schemaFor(type).withHeader().withUseHeader(true);
                StringWriter out = new StringWriter();
                try (SequenceWriter w = CSV.writer(schema).writeValues(out)) {
                    w.writeAll(rows);
                } catch (IOException ex) {
                    throw new UncheckedIOException(ex);
                }
                ctx.status(200).contentType("text/csv; charset=utf-8")
                        .header("Content-Disposition", "attachment; filename=\"" + name + "-" + from + "-" + to + ".csv\"").result(out.toString());
            }
            default -> throw AccrueException.invalid("format", "format must be csv or json, got '" + format + "'");
        }
    }
}

package dev.accrue.adapters.http.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.accrue.adapters.http.support.Requests;
import dev.accrue.adapters.http.support.Responses;
import dev.accrue.app.lifecycle.CustomerDataRepository;
import dev.accrue.app.lifecycle.DataLifecycle;
import dev.accrue.app.lifecycle.RetentionSettings;
import dev.accrue.core.error.AccrueException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * /v1/tenant/data_retention: how long raw usage and cancelled customers' data are kept; /v1/customers/{id}/export:
 * everything stored about a customer, as one JSON document or a ZIP of one CSV file per table.
 */
public final class DataLifecycleRoutes {
    /** numbers read back exactly as stored (12.500000 stays 12.500000 in the CSV) */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();
    private static final CsvMapper CSV = new CsvMapper();
    private final DataLifecycle lifecycle;

    public DataLifecycleRoutes(DataLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    record SettingsBody(Integer usageDaysAfterInvoiced, Integer customerDaysAfterCancellation) {
    }

    record SettingsView(String object, int usageDaysAfterInvoiced, int customerDaysAfterCancellation) {
        static SettingsView of(RetentionSettings s) {
            return new SettingsView("data_retention", s.usageDaysAfterInvoiced(), s.customerDaysAfterCancellation());
        }
    }

    public void register(RoutesConfig app) {
        app.get("/v1/tenant/data_retention", ctx -> Responses.json(ctx, 200, SettingsView.of(lifecycle.settings(Requests.caller(ctx)))));
        app.put("/v1/tenant/data_retention", ctx -> {
            SettingsBody body = Requests.body(ctx, SettingsBody.class);
            var current = lifecycle.settings(Requests.caller(ctx));
            var settings = new RetentionSettings(
                    body.usageDaysAfterInvoiced() == null ? current.usageDaysAfterInvoiced() : body.usageDaysAfterInvoiced(),
                    body.customerDaysAfterCancellation() == null ? current.customerDaysAfterCancellation() : body.customerDaysAfterCancellation());
            Responses.json(ctx, 200, SettingsView.of(lifecycle.replaceSettings(Requests.caller(ctx), settings)));
        });
        app.get("/v1/customers/{id}/export", this::export);
    }

    private void export(Context ctx) {
        String format = ctx.queryParam("format") == null ? "json" : ctx.queryParam("format");
        String id = ctx.pathParam("id");
        String exportedAt = Instant.now().toString();
        switch (format) {
            case "json" -> {
                var sink = new JsonSink(id, exportedAt);
                lifecycle.export(Requests.caller(ctx), id, sink);
                ctx.status(200).contentType("application/json").header("Content-Disposition", "attachment; filename=\"" + id + ".json\"")
                        .result(sink.finish());
            }
            case "csv" -> {
                var sink = new ZipCsvSink();
                lifecycle.export(Requests.caller(ctx), id, sink);
                ctx.status(200).contentType("application/zip").header("Content-Disposition", "attachment; filename=\"" + id + "-csv.zip\"")
                        .result(sink.finish());
            }
            default -> throw AccrueException.invalid("format", "format must be json or csv, got '" + format + "'");
        }
    }

    /** {"object": "customer_export", "customer_id", "exported_at", "tables": {"name": [rows…]}}, rows as stored. */
    private static final class JsonSink implements CustomerDataRepository.ExportSink {
        private final StringBuilder out = new StringBuilder();
        private boolean firstTable = true;
        private boolean firstRow;

        JsonSink(String customerId, String exportedAt) {
            out.append("{\"object\":\"customer_export\",\"customer_id\":").append(quote(customerId)).append(",\"exported_at\":")
                    .append(quote(exportedAt)).append(",\"tables\":{");
        }

        @Override
        public void table(String name, List<String> columns) {
            if (!firstTable) {
                out.append("]");
                out.append(',');
            }
            firstTable = false;
            firstRow = true;
            out.append(quote(name)).append(":[");
        }

        @Override
        public void row(String jsonObject) {
            if (!firstRow) {
                out.append(',');
            }
            firstRow = false;
            out.append(jsonObject);
        }

        byte[] finish() {
            if (!firstTable) {
                out.append(']');
            }
            return out.append("}}").toString().getBytes(StandardCharsets.UTF_8);
        }

        private static String quote(String s) {
            try {
                return JSON.writeValueAsString(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** One RFC 4180 file per table, a header row of its columns; nested values (addresses, metadata) as JSON text. */
    private static final class ZipCsvSink implements CustomerDataRepository.ExportSink {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final ZipOutputStream zip = new ZipOutputStream(bytes, StandardCharsets.UTF_8);
        private final CsvSchema schema = CsvSchema.emptySchema().withoutHeader();
        private List<String> columns = List.of();

        @Override
        public void table(String name, List<String> columns) {
            this.columns = columns;
            try {
                zip.putNextEntry(new ZipEntry(name + ".csv"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            line(columns);
        }

        @Override
        public void row(String jsonObject) {
            try {
                JsonNode row = JSON.readTree(jsonObject);
                List<String> values = new ArrayList<>(columns.size());
                for (String column : columns) {
                    JsonNode v = row.get(column);
                    values.add(v == null || v.isNull() ? "" : v.isValueNode() ? v.asText() : v.toString());
                }
                line(values);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void line(List<String> values) {
            try {
                zip.write(CSV.writer(schema).writeValueAsBytes(values));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        byte[] finish() {
            try {
                zip.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }
}

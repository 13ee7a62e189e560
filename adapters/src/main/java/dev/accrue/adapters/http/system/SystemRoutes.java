package dev.accrue.adapters.http.system;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.accrue.adapters.http.support.Responses;
import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Unauthenticated endpoints: liveness with a database check, Prometheus metrics, and the OpenAPI document. */
public final class SystemRoutes {
    public static final String OPENAPI_RESOURCE = "/openapi/accrue.yaml";
    private final BooleanSupplier databaseUp;
    private final PrometheusMeterRegistry metrics;
    private final String openApiYaml;
    private final String openApiJson;
    private final String version;

    public SystemRoutes(BooleanSupplier databaseUp, PrometheusMeterRegistry metrics, String version) {
        this.databaseUp = databaseUp;
        this.metrics = metrics;
        this.version = version;
        this.openApiYaml = openApiYaml();
        try {
            this.openApiJson = new ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(new ObjectMapper(new YAMLFactory()).readTree(openApiYaml));
        } catch (IOException e) {
            throw new UncheckedIOException("The bundled OpenAPI document does not parse", e);
        }
    }

    public static String openApiYaml() {
        try (InputStream in = SystemRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenAPI document " + OPENAPI_RESOURCE + " missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void register(RoutesConfig app) {
        app.get("/health", ctx -> {
            boolean db = databaseUp.getAsBoolean();
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("status", db ? "ok" : "degraded");
            body.put("database", db ? "ok" : "unreachable");
            body.put("version", version);
            Responses.json(ctx, db ? 200 : 503, body);
        });
        app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(metrics.scrape()));
        app.get("/openapi.yaml", ctx -> ctx.contentType("application/yaml").result(openApiYaml));
        app.get("/openapi.json", ctx -> ctx.contentType("application/json").result(openApiJson));
    }
}

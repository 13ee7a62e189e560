package dev.accrue.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.accrue.server.support.Api;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard and the Prometheus alert rules in ops/ parse, and every metric they name is served by a
 * live node's /metrics (issue 17 point 2): a renamed metric fails here, not silently on a dashboard.
 */
class OpsFilesTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Series Prometheus makes itself, never on /metrics. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    private static final Pattern METRIC = Pattern.compile("\\b((?:accrue|hikaricp|jetty|cache|jvm|process)_[a-z0-9_]+|up)\\b(?!\\s*\\()");

    @Test
    void alertRulesParseAndUseServedMetrics() throws Exception {
        JsonNode rules = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(ROOT.resolve("ops/prometheus/alerts.yml")));
        List<String> exprs = new ArrayList<>();
        for (JsonNode group : rules.path("groups")) {
            assertThat(group.path("name").asText()).isNotBlank();
            for (JsonNode rule : group.path("rules")) {
                assertThat(rule.path("alert").asText()).matches("[A-Z][A-Za-z]+");
                assertThat(rule.path("expr").asText()).isNotBlank();
                assertThat(rule.path("annotations").path("summary").asText()).isNotBlank();
                exprs.add(rule.path("expr").asText());
            }
        }
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(8);
        assertServed(exprs);
    }

    @Test
    void theDashboardParsesAndUsesServedMetrics() throws Exception {
        JsonNode dashboard = new ObjectMapper().readTree(Files.readString(ROOT.resolve("ops/grafana/accrue.json")));
        List<String> exprs = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(14);
        assertServed(exprs);
    }

    private static void assertServed(List<String> exprs) {
        // traffic that makes every business counter appear at least once
        new MetricsTest().businessMetricsMoveWithTraffic();
        String scrape = new Api(TestNode.get().baseUrl(), null).get("/metrics").body();
        Set<String> served = new TreeSet<>();
        Matcher line = Pattern.compile("(?m)^([a-z_:][a-z0-9_:]*)[{ ]").matcher(scrape);
        while (line.find()) {
            served.add(line.group(1));
        }
        Set<String> named = new TreeSet<>();
        for (String expr : exprs) {
            Matcher m = METRIC.matcher(expr.replaceAll("\\{[^}]*}", ""));
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        named.removeAll(PROMETHEUS_OWN);
        assertThat(named).isNotEmpty();
        assertThat(served).as("metrics named by ops/ files but not served").containsAll(named);
    }
}

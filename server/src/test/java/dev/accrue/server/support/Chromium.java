package dev.accrue.server.support;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Debian's Chromium driven by Playwright for the browser tests: one browser per test class (launching is the
 * slow part), a fresh context (cookies) per journey. Playwright never downloads a browser; CI installs
 * {@code chromium} through apt (.ci/run). Screenshots are kept under target/screenshots as artefacts.
 */
public final class Chromium implements AutoCloseable {
    public static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final Path EXECUTABLE = Paths.get("/usr/bin/chromium");
    /** The browsers open in this JVM, so that a failed test's pages can be kept as they were when it failed. */
    private static final Set<Chromium> OPEN = ConcurrentHashMap.newKeySet();
    private final Playwright playwright;
    private final Browser browser;

    private Chromium() {
        this.playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        this.browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(EXECUTABLE).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        "--no-first-run")));
        OPEN.add(this);
    }

    public static Chromium launch() {
        if (!Files.isExecutable(EXECUTABLE)) {
            throw new IllegalStateException("The browser tests need Debian's Chromium at " + EXECUTABLE + ": apt-get install -y chromium");
        }
        return new Chromium();
    }

    /** A new browser profile (no cookies) that accepts downloads; {@code locale} sets Accept-Language. */
    public BrowserContext context(String locale) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true).setLocale(locale).setViewportSize(1280, 900));
        context.setDefaultTimeout(30_000); // pages answer in milliseconds, but a first PDF render on a loaded CI box takes seconds
        return context;
    }

    /** As {@link #context(String)}, with the browser's time zone set (what {@code Intl.DateTimeFormat} reports). */
    public BrowserContext context(String locale, String timeZone) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true).setLocale(locale).setTimezoneId(timeZone)
                .setViewportSize(1280, 900));
        context.setDefaultTimeout(30_000);
        return context;
    }

    /** A phone: 390 × 844 CSS pixels, touch, the mobile viewport meta tag honoured. */
    public BrowserContext phone(String locale) {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setAcceptDownloads(true).setLocale(locale).setViewportSize(390, 844)
                .setIsMobile(true).setHasTouch(true));
        context.setDefaultTimeout(30_000);
        return context;
    }

    public static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
    }

    /** axe-core in the page: no serious or critical accessibility violation (WCAG 2.1 A/AA rules). */
    public static void assertAccessible(Page page) {
        AxeResults results = new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze();
        String serious = results.getViolations().stream().filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(v -> v.getId() + " (" + v.getImpact() + "): " + v.getHelp() + " at " + v.getNodes().stream().map(n -> String.valueOf(n.getTarget()))
                        .collect(Collectors.joining(", ")))
                .collect(Collectors.joining("\n"));
        assertThat(serious).as("accessibility violations on " + page.url()).isEmpty();
    }

    /**
     * Keeps a screenshot of every page still open in any browser of this JVM, named {@code <prefix>-<n>.png}: a
     * journey that fails leaves its context open (it closes it only at its end), so this is the page it failed on.
     */
    public static List<Path> screenshotOpenPages(String prefix) {
        List<Path> kept = new ArrayList<>();
        for (Chromium chromium : OPEN) {
            for (BrowserContext context : chromium.browser.contexts()) {
                for (Page page : context.pages()) {
                    Path path = SCREENSHOTS.resolve(prefix + "-" + (kept.size() + 1) + ".png");
                    try {
                        page.screenshot(new Page.ScreenshotOptions().setPath(path).setFullPage(true));
                        kept.add(path);
                    } catch (RuntimeException e) {
                        // a page that closed or crashed meanwhile has nothing to show; the others are still kept
                    }
                }
            }
        }
        return kept;
    }

    /** Registered for the whole suite (junit-platform.properties): a failed browser test leaves its pages as screenshots. */
    public static final class ScreenshotOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            screenshotOpenPages("FAILED-" + context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
        }
    }

    @Override
    public void close() {
        OPEN.remove(this);
        browser.close();
        playwright.close();
    }
}

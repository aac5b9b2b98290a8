package org.telehall.support;

import com.microsoft.playwright.Browser.NewContextOptions;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Headless Debian Chromium driven by Playwright (no browser download), plus axe-core scans.
 * Screenshots go to target/screenshots so a person can look at what the test saw.
 */
public final class Browser implements AutoCloseable {

    public static final Path CHROMIUM = Paths.get("/usr/bin/chromium");

    private final Playwright playwright;
    private final com.microsoft.playwright.Browser browser;

    public Browser() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(java.util.Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(CHROMIUM)
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")));
    }

    /** A new phone-sized page (a mid-range Android phone's viewport). */
    public Page phone() {
        return browser.newContext(new NewContextOptions().setViewportSize(390, 844).setDeviceScaleFactor(1)
                .setLocale("zh-CN")).newPage();
    }

    public static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Paths.get("target", "screenshots", name + ".png")).setFullPage(true));
    }

    /** The axe-core violations of impact serious or critical on the current page. */
    public static List<Rule> seriousViolations(Page page) {
        AxeResults results = new AxeBuilder(page).withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")).analyze();
        return results.getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .toList();
    }

    public static String describe(List<Rule> violations) {
        StringBuilder sb = new StringBuilder();
        for (Rule r : violations) {
            sb.append(r.getId()).append(" (").append(r.getImpact()).append("): ").append(r.getHelp());
            r.getNodes().forEach(n -> sb.append("\n    ").append(n.getTarget()).append(" ").append(n.getFailureSummary()));
            sb.append('\n');
        }
        return sb.toString();
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}

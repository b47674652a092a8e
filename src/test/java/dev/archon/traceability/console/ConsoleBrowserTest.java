package dev.archon.traceability.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.api.management.ManagedCamelContext;
import org.apache.camel.spi.RouteController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven through /usr/bin/chromedriver (nothing is
 * downloaded). The Camel tab lists every route of the context with its statistics; a route stops and starts from
 * the routes table; a maintenance job's route fires from the Quartz tab. What the page did is checked in the Camel
 * context and the job history. Screenshots go to target/console-screenshots/.
 */
class ConsoleBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    private static final String ROUTE = "ingest-lineage-files";

    private static String db;
    private static RunningService service;
    private static String console;
    private static Path profile;
    private static ChromeDriver browser;
    private static WebDriverWait wait;

    @BeforeAll
    static void start() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "no headless browser here: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed"
                        + " (apt-get install chromium chromium-driver); the console's browser test is skipped");
        db = TestPostgres.server().createDatabase();
        int port = RunningService.freePort();
        // no token: the browser on loopback needs no login (ConsoleTest covers the login over HTTP)
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.console.enabled", "true",
                "traceability.console.port", String.valueOf(port)));
        console = "http://127.0.0.1:" + port;

        profile = Files.createTempDirectory("console-browser-profile");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--window-size=1600,1500", "--user-data-dir=" + profile);
        ChromeDriverService driver = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(driver, options);
        // Hawtio redraws its tables every 5 s (an element found a moment ago may be gone) and its notifications may
        // lie over a button for a moment: look again
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        wait.ignoring(StaleElementReferenceException.class).ignoring(ElementClickInterceptedException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() throws IOException {
        if (browser != null) {
            browser.quit();
        }
        if (service != null) {
            service.close();
        }
        if (profile != null) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void theCamelTabListsEveryRouteAndStopsAndStartsOne() throws Exception {
        browser.get(console + "/hawtio/");
        click(navigation("Camel"));
        click(treeNode("routes"));

        List<String> routeIds = service.main().getCamelContext().getRoutes().stream().map(Route::getRouteId).toList();
        assertThat(routeIds).contains("track-event", "track-event-batch", "record-executions", ROUTE,
                "ingest-execution-files", "job-daily-maintenance", "job-weekly-maintenance", "job-archival",
                "job-backup", "job-health-check");
        for (String id : routeIds) {
            wait.until(ExpectedConditions.presenceOfElementLocated(routeRow(id)));
        }
        assertThat(stateInTable(ROUTE)).isEqualTo("Started");
        screenshot("camel-routes.png");

        RouteController routes = service.main().getCamelContext().getRouteController();
        wait.until(d -> select(ROUTE));
        click(By.xpath("//button[normalize-space()='Stop']"));
        await().atMost(Duration.ofSeconds(15)).until(() -> routes.getRouteStatus(ROUTE) == ServiceStatus.Stopped);
        wait.until(d -> "Stopped".equals(stateInTable(ROUTE))); // the table polls every 5 s
        screenshot("route-stopped.png");

        wait.until(d -> select(ROUTE));
        click(By.xpath("//button[normalize-space()='Start']"));
        await().atMost(Duration.ofSeconds(15)).until(() -> routes.getRouteStatus(ROUTE) == ServiceStatus.Started);
        wait.until(d -> "Started".equals(stateInTable(ROUTE)));
    }

    @Test
    void aMaintenanceJobsRouteFiresFromTheQuartzTab() throws Exception {
        long exchangesBefore = exchanges("job-daily-maintenance");
        browser.get(console + "/hawtio/");
        click(navigation("Quartz"));
        click(By.xpath("//button[contains(@class,'pf-v5-c-tree-view__node-text')"
                + " and starts-with(normalize-space(),'pattern-traceability')]"));
        click(navigation("Triggers"));
        By trigger = By.xpath("//tr[td[normalize-space()='daily-maintenance']]");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(trigger, "0 0 3 * * ?"));
        click(By.xpath("//tr[td[normalize-space()='daily-maintenance']]//button[@aria-label='Kebab toggle']"));
        click(By.xpath("//button[@role='menuitem' and normalize-space()='Trigger Manually']"));
        click(By.xpath("//button[normalize-space()='Fire now']"));

        await().atMost(Duration.ofSeconds(30)).until(() -> TestPostgres.count(db,
                "SELECT count(*) FROM job_runs WHERE job = 'daily-maintenance' AND status = 'succeeded'") == 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> exchanges("job-daily-maintenance") == exchangesBefore + 1);
        screenshot("quartz-fired.png");
    }

    /** A link of Hawtio's navigation: the side bar's tabs (Camel, Quartz) and a page's own (Triggers). */
    private static By navigation(String text) {
        return By.xpath("//a[contains(@class,'pf-v5-c-nav__link') and normalize-space()='" + text + "']");
    }

    private static By treeNode(String text) {
        return By.xpath("//button[contains(@class,'pf-v5-c-tree-view__node-text') and normalize-space()='" + text
                + "']");
    }

    private static By routeRow(String id) {
        return By.xpath("//tr[td[@data-label='Name' and normalize-space()='" + id + "']]");
    }

    private static String stateInTable(String id) {
        return browser.findElement(By.xpath("//tr[td[@data-label='Name' and normalize-space()='" + id + "']]"
                + "/td[@data-label='State']")).getText().trim();
    }

    /** Ticks the route's row, and only it. */
    private static boolean select(String id) {
        for (WebElement box : browser.findElements(By.xpath("//tr[td[@data-label='Name']]//input[@type='checkbox']"))) {
            boolean wanted = box.findElement(By.xpath("ancestor::tr/td[@data-label='Name']")).getText().trim()
                    .equals(id);
            if (box.isSelected() != wanted) {
                box.click();
            }
        }
        return true;
    }

    private static void click(By element) {
        wait.until(d -> {
            WebElement clickable = ExpectedConditions.elementToBeClickable(element).apply(d);
            if (clickable == null) {
                return false;
            }
            clickable.click();
            return true;
        });
    }

    private static long exchanges(String routeId) {
        return service.main().getCamelContext().getCamelContextExtension()
                .getContextPlugin(ManagedCamelContext.class).getManagedRoute(routeId).getExchangesTotal();
    }

    private static void screenshot(String name) throws IOException {
        Files.write(SCREENSHOTS.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}

package io.snapbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.snapbus.api.SnapbusApiClient;
import io.snapbus.api.catalog.AddBackendRequest;
import io.snapbus.api.catalog.ColumnSpec;
import io.snapbus.api.catalog.CreateDatabaseRequest;
import io.snapbus.api.catalog.CreateTableRequest;
import io.snapbus.api.catalog.PartitionSpec;
import io.snapbus.api.repository.CreateRepositoryRequest;
import io.snapbus.api.repository.Snapshot;
import io.snapbus.api.repository.SnapshotContent;
import io.snapbus.api.retention.RetentionPolicy;
import io.snapbus.api.schedule.Schedule;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.Alert;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web console in a real headless browser (Debian's chromium through chromedriver) against a live stack (broker,
 * registry, a storage node, job-service, an agent as processes): a backup started from the Jobs page reaches
 * FINISHED in its row without a reload, the snapshot's page shows what the backup holds, a restore under a new name
 * started there reaches FINISHED, and a data verification reads PASSED; a retention policy and a schedule created in
 * their pages back up on their own, the schedule is paused and deleted there, and snapshots are deleted from the
 * repository's page (a refusal shown as the API's problem). Skipped when chromium or chromedriver is
 * missing, unless {@code SNAPBUS_REQUIRE_BROWSER=1} (CI), where it fails. A PNG of each page goes to the folder the
 * system property {@code snapbus.console.screenshots} names (docs/console/ for the README), else target/.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebConsoleIntegrationTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final String DB = "shop";
    private static final String POLICY = "keep2";
    private static final String SCHEDULE = "every5s";
    private static final int ROWS = 3000;
    private static final Duration JOB_WAIT = Duration.ofMinutes(3);

    @TempDir
    static Path dir;
    private LocalCluster cluster;
    private SnapbusApiClient api;
    private ChromeDriverService chromedriver;
    private WebDriver browser;
    private String console;
    private Path screenshots;
    private String timestamp;

    @BeforeAll
    void startStackAndBrowser() throws Exception {
        requireBrowser();
        cluster = LocalCluster.startWatchable(dir.resolve("stack"));
        api = new SnapbusApiClient(cluster.jobServiceUrl());
        demoData();
        screenshots = Path.of(System.getProperty("snapbus.console.screenshots", "target/console-screenshots"));
        Files.createDirectories(screenshots);

        chromedriver = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingPort(freePort()).withLogFile(dir.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile()).addArguments("--headless=new",
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--user-data-dir=" + Files.createDirectories(dir.resolve("chromium-profile")));
        browser = new ChromeDriver(chromedriver, options);
        console = cluster.jobServiceUrl().resolve("/console/").toString();
    }

    @AfterAll
    void stopBrowserAndStack() {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            try {
                if (chromedriver != null) {
                    chromedriver.stop();
                }
                // Whatever of chromedriver and chromium outlived quit(): only this JVM's own children.
                ProcessHandle.current().descendants().filter(p -> p.info().command()
                        .map(c -> c.contains("chrom")).orElse(false)).forEach(ProcessHandle::destroyForcibly);
            } finally {
                if (cluster != null) {
                    cluster.close();
                }
            }
        }
    }

    @Test
    @Order(1)
    void aBackupStartedFromTheJobsPageReachesFinishedInItsRowWithoutAReload() throws Exception {
        browser.get(cluster.jobServiceUrl().toString()); // the root sends a browser to the console
        assertThat(browser.getCurrentUrl()).endsWith("/console/");
        browser.get(console + "#/jobs/" + DB);
        waitFor(By.id("backup-form"));

        // A refused request shows the API's problem in the page.
        type("backup-label", "nightly");
        browser.findElement(By.id("backup-start")).click();
        assertThat(waitFor(By.cssSelector("#backup-problem .problem")).getText())
                .contains("(400)", "name at least one table to back up");

        ((JavascriptExecutor) browser).executeScript("window.consoleNotReloaded = true;");
        new Select(browser.findElement(By.id("backup-repository"))).selectByValue("backups");
        type("backup-tables", "orders");
        browser.findElement(By.id("backup-start")).click();
        By row = By.cssSelector("#backups-table tbody tr.job");
        waitFor(row);
        long jobId = Long.parseLong(browser.findElement(row).getDomAttribute("data-job-id"));
        Set<String> states = new LinkedHashSet<>();
        until(() -> {
            WebElement current = browser.findElement(By.id("backup-" + jobId));
            states.add(current.getDomAttribute("data-state"));
            return "FINISHED".equals(current.getDomAttribute("data-state"));
        });
        System.out.println("backup " + jobId + " states seen in its row: " + states);
        assertThat(states).as("the row followed the job while it ran").hasSizeGreaterThan(1);
        assertThat(((JavascriptExecutor) browser).executeScript("return window.consoleNotReloaded === true;"))
                .isEqualTo(true);
        int tablets = api.backup(jobId).tablets();
        WebElement finished = browser.findElement(By.id("backup-" + jobId));
        until(() -> !finished.findElement(By.xpath("td[10]")).getText().isBlank()); // the finished job, read again
        assertThat(finished.getText()).contains("nightly", "FINISHED", tablets + "/" + tablets + " uploaded");
        assertThat(finished.findElement(By.className("progress")).getDomAttribute("data-percent")).isEqualTo("100");
        assertThat(api.backup(jobId).state()).isEqualTo("FINISHED");
        screenshot("jobs");
    }

    @Test
    @Order(2)
    void theSnapshotPageShowsItsTablesPartitionsSizesAndChecksums() throws Exception {
        browser.get(console + "#/repositories");
        waitFor(By.linkText("backups")).click();
        waitFor(By.cssSelector("a.snapshot")).click();
        waitFor(By.id("snapshot-summary"));
        timestamp = api.snapshots("backups", 0, 10).items().get(0).timestamps().get(0);
        SnapshotContent content = api.snapshot("backups", "nightly", timestamp);
        assertThat(browser.getCurrentUrl()).endsWith("/snapshots/nightly/" + timestamp);
        assertThat(content.tables()).singleElement().satisfies(t -> assertThat(t.partitions().stream()
                .mapToLong(SnapshotContent.SnapshotPartition::rows).sum()).isEqualTo(ROWS));

        List<WebElement> partitions = browser.findElements(By.cssSelector("[data-table=orders] tr.partition"));
        assertThat(partitions).extracting(p -> p.getDomAttribute("data-partition"))
                .containsExactly("p202601", "p202602");
        for (SnapshotContent.SnapshotPartition partition : content.tables().get(0).partitions()) {
            WebElement shown = browser.findElement(By.cssSelector("tr[data-partition=" + partition.name() + "]"));
            List<String> cells = shown.findElements(By.xpath("td")).stream().map(WebElement::getText).toList();
            assertThat(List.of(cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(5))).containsExactly(
                    partition.name(), Long.toString(partition.version()), Integer.toString(partition.tablets().size()),
                    Long.toString(partition.files()), Long.toString(partition.rows()));
            assertThat(shown.findElement(By.xpath("td[5]")).getDomAttribute("title"))
                    .isEqualTo(partition.bytes() + " bytes");
            assertThat(partition.bytes()).isPositive();
        }
        WebElement first = browser.findElement(By.cssSelector("tr.partition details"));
        first.findElement(By.tagName("summary")).click();
        assertThat(first.getText()).contains(content.tables().get(0).partitions().get(0).tablets().get(0)
                .checksum());
        assertThat(browser.findElement(By.id("snapshot-summary")).getText()).contains(DB, "ALL",
                Integer.toString(content.tablets()));
        screenshot("snapshot");
    }

    @Test
    @Order(3)
    void aRestoreUnderANewNameStartedFromTheSnapshotPageReachesFinished() throws Exception {
        type("restore-tables", "orders = orders_copy");
        type("restore-properties", "replication_num=1");
        browser.findElement(By.id("restore-start")).click();
        By row = By.cssSelector("#restores-table tbody tr.job");
        waitFor(row);
        long jobId = Long.parseLong(browser.findElement(row).getDomAttribute("data-job-id"));
        Set<String> states = new LinkedHashSet<>();
        until(() -> {
            states.add(browser.findElement(By.id("restore-" + jobId)).getDomAttribute("data-state"));
            return states.contains("FINISHED");
        });
        System.out.println("restore " + jobId + " states seen in its row: " + states);
        assertThat(states).hasSizeGreaterThan(1);
        int replicas = api.restore(jobId).replicas();
        until(() -> browser.findElement(By.id("restore-" + jobId)).getText()
                .contains(replicas + "/" + replicas + " checked"));
        assertThat(api.restore(jobId).state()).isEqualTo("FINISHED");
        assertThat(api.rows(DB, "orders_copy", null, null)).isEqualTo(api.rows(DB, "orders", null, null));
        assertThat(api.rows(DB, "orders_copy", null, null).lines().count()).isEqualTo(ROWS);
        screenshot("restore");

        browser.get(console + "#/jobs/" + DB);
        waitFor(By.id("restore-" + jobId));
        assertThat(browser.findElement(By.id("restore-" + jobId)).getDomAttribute("data-state"))
                .isEqualTo("FINISHED");
    }

    @Test
    @Order(4)
    void aDataVerificationStartedFromTheSnapshotPageReadsPassed() throws Exception {
        browser.get(console + "#/repositories/backups/snapshots/nightly/" + timestamp);
        waitFor(By.id("verify-form"));
        new Select(browser.findElement(By.id("verify-level"))).selectByValue("data");
        browser.findElement(By.id("verify-start")).click();
        until(() -> !browser.findElements(By.id("verification")).isEmpty() && !"RUNNING".equals(
                browser.findElement(By.id("verification")).getDomAttribute("data-state")));
        WebElement verification = browser.findElement(By.id("verification"));
        assertThat(verification.getDomAttribute("data-state")).as(verification.getText()).isEqualTo("PASSED");
        assertThat(verification.getText()).containsIgnoringCase("data").contains("no problems");
        screenshot("verification");
    }

    @Test
    @Order(5)
    void aPolicyAndAScheduleCreatedInTheirPagesBackUpOnTheirOwnAndThePagesPauseAndDeleteTheSchedule()
            throws Exception {
        browser.get(console + "#/policies");
        waitFor(By.id("policy-form"));
        type("policy-name", POLICY);
        new Select(browser.findElement(By.id("policy-repository"))).selectByValue("backups");
        type("policy-expire-days", "30");
        type("policy-min-count", "1");
        type("policy-max-count", "2");
        browser.findElement(By.id("policy-create")).click();
        assertThat(waitFor(By.id("policy-" + POLICY)).getText()).contains("backups", "30 d");
        RetentionPolicy policy = api.retentionPolicy(POLICY);
        assertThat(List.of(policy.repository(), policy.expireAfterSeconds(), policy.minCount(), policy.maxCount()))
                .containsExactly("backups", 30L * 86400, 1, 2);

        browser.get(console + "#/schedules");
        waitFor(By.id("schedule-form"));
        type("schedule-name", SCHEDULE);
        new Select(browser.findElement(By.id("schedule-db"))).selectByValue(DB);
        type("schedule-tables", "orders");
        new Select(browser.findElement(By.id("schedule-repository"))).selectByValue("backups");
        type("schedule-cron", "*/5 * * * * *");
        new Select(browser.findElement(By.id("schedule-policy"))).selectByValue(POLICY);
        type("schedule-alarm-after", "3");
        long created = System.nanoTime();
        browser.findElement(By.id("schedule-create")).click();
        By row = By.id("schedule-" + SCHEDULE);
        waitFor(row);
        Schedule schedule = api.schedule(SCHEDULE);
        assertThat(List.of(schedule.db(), schedule.tables(), schedule.repository(), schedule.cron(),
                schedule.retentionPolicy(), schedule.alarmAfterFailures())).containsExactly(DB, List.of("orders"),
                "backups", "*/5 * * * * *", POLICY, 3);

        // The list is read again by itself until the first scheduled backup succeeded.
        until(() -> "SUCCEEDED".equals(browser.findElement(row).getDomAttribute("data-outcome")));
        System.out.printf("first scheduled backup SUCCEEDED in the page after %d ms%n",
                Duration.ofNanos(System.nanoTime() - created).toMillis());
        String shownLabel = browser.findElement(row).findElement(By.cssSelector("td:nth-child(8) .mono")).getText();
        assertThat(shownLabel).startsWith(SCHEDULE + "_");
        assertThat(labels()).contains(shownLabel);
        assertThat(api.schedule(SCHEDULE).runs()).isPositive();
        assertThat(browser.findElement(row).getText()).contains("SUCCEEDED", "active", "*/5 * * * * *");
        assertThat(browser.findElement(row).findElements(By.cssSelector(".badge.alarm"))).isEmpty();
        screenshot("schedules");

        until(() -> {
            browser.findElement(row).findElement(By.cssSelector("button.pause-schedule")).click();
            return true;
        });
        until(() -> "true".equals(browser.findElement(row).getDomAttribute("data-paused")));
        assertThat(browser.findElement(row).getText()).contains("paused", "Resume");
        assertThat(api.schedule(SCHEDULE).paused()).isTrue();
        // Paused, so no new backup starts: the last one, if running, ends and then the policy is run from its page.
        until(() -> !api.schedule(SCHEDULE).lastOutcome().isEmpty());

        browser.get(console + "#/policies");
        waitFor(By.id("policy-" + POLICY)).findElement(By.cssSelector("button.run-policy")).click();
        WebElement run = waitFor(By.id("policy-run"));
        int kept = Integer.parseInt(run.getDomAttribute("data-kept"));
        List<String> scheduled = labels().stream().filter(l -> l.startsWith(SCHEDULE + "_")).toList();
        System.out.println("policy run in the page: " + run.getText().replace('\n', ' ') + "; left " + scheduled);
        assertThat(kept).isBetween(1, 2);
        assertThat(scheduled).hasSize(kept);
        assertThat(run.getText()).contains("Kept", "Deleted", "Refused");
        screenshot("policies");

        browser.get(console + "#/schedules");
        until(() -> {
            browser.findElement(row).findElement(By.cssSelector("button.delete-schedule")).click();
            return true;
        });
        acceptConfirm("Delete schedule " + SCHEDULE);
        until(() -> browser.findElements(row).isEmpty());
        assertThat(api.schedules()).extracting(Schedule::name).doesNotContain(SCHEDULE);
    }

    @Test
    @Order(6)
    void aSnapshotDeletedFromTheRepositoryPageIsGoneAndARefusalShowsTheProblem() throws Exception {
        String scheduled = labels().stream().filter(l -> l.startsWith(SCHEDULE + "_")).findFirst().orElseThrow();
        browser.get(console + "#/repositories/backups");
        waitFor(By.cssSelector("tr[data-label=nightly]"));
        // Deleted behind the page's back, so the page's delete is refused: the API's problem shows in the page.
        api.deleteSnapshot("backups", scheduled);
        browser.findElement(By.cssSelector("tr[data-label='" + scheduled + "'] button.delete-snapshot")).click();
        acceptConfirm("Delete snapshot " + scheduled);
        assertThat(waitFor(By.cssSelector("#snapshots-problem .problem")).getText()).contains("(404)");

        browser.findElement(By.cssSelector("tr[data-label=nightly] button.delete-snapshot")).click();
        acceptConfirm("Delete snapshot nightly");
        until(() -> browser.findElements(By.cssSelector("tr[data-label=nightly]")).isEmpty()
                && browser.findElements(By.cssSelector("tr[data-label='" + scheduled + "']")).isEmpty());
        assertThat(labels()).doesNotContain("nightly", scheduled);
    }

    /** The labels of the repository "backups" (at most 100, newest first). */
    private List<String> labels() {
        return api.snapshots("backups", 0, 100).items().stream().map(Snapshot::label).toList();
    }

    /** Accepts the confirm() dialog the page opened, after checking what it asks. */
    private void acceptConfirm(String question) {
        Alert dialog = new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.alertIsPresent());
        assertThat(dialog.getText()).contains(question);
        dialog.accept();
    }

    private void demoData() {
        api.createDatabase(new CreateDatabaseRequest(DB));
        api.addBackend(new AddBackendRequest("127.0.0.1", cluster.nodes().get(0).port(), null));
        api.createTable(DB, new CreateTableRequest("orders", null, "DUP_KEYS", List.of(ColumnSpec.key("id", "BIGINT"),
                ColumnSpec.key("day", "DATE"), ColumnSpec.of("amount", "INT")), "day",
                List.of(new PartitionSpec("p202601", null, "2026-02-01", null, null),
                        new PartitionSpec("p202602", "2026-02-01", "2026-03-01", null, null)),
                List.of("id"), 4, 1, null, null, null));
        api.loadNdjson(DB, "orders", IntStream.range(0, ROWS).mapToObj(i -> String.format(
                "{\"id\": %d, \"day\": \"2026-%02d-%02d\", \"amount\": %d}", i, 1 + i % 2, 1 + i % 28, i * 7))
                .collect(Collectors.joining("\n", "", "\n")));
        api.createRepository(new CreateRepositoryRequest("backups", dir.resolve("repo").toUri().toString(), null,
                null, false));
    }

    /** Skips the class when the browser is missing, or fails it when SNAPBUS_REQUIRE_BROWSER=1 requires it. */
    private static void requireBrowser() {
        List<String> missing = new ArrayList<>();
        for (Path program : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(program)) {
                missing.add(program.toString());
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String why = "browser test skipped: " + String.join(" and ", missing) + " missing (install Debian's"
                + " chromium and chromium-driver packages)";
        if ("1".equals(System.getenv("SNAPBUS_REQUIRE_BROWSER"))) {
            fail(why + "; SNAPBUS_REQUIRE_BROWSER=1 requires the browser test");
        }
        Assumptions.assumeTrue(false, why);
    }

    private WebElement waitFor(By locator) {
        until(() -> !browser.findElements(locator).isEmpty() && browser.findElement(locator).isDisplayed());
        return browser.findElement(locator);
    }

    private void until(java.util.function.BooleanSupplier condition) {
        // A page re-rendered under the wait (a route shown again, a row redrawn) is looked up again.
        new WebDriverWait(browser, JOB_WAIT, Duration.ofMillis(100)).ignoring(StaleElementReferenceException.class)
                .until(d -> condition.getAsBoolean());
    }

    private void type(String id, String text) {
        WebElement input = browser.findElement(By.id(id));
        input.clear();
        input.sendKeys(text);
    }

    /** A PNG of the whole page, beyond the window too (Chrome's own capture). */
    private void screenshot(String name) throws IOException {
        Number width = (Number) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollWidth;");
        Number height = (Number) ((JavascriptExecutor) browser).executeScript(
                "return document.documentElement.scrollHeight;");
        Map<String, Object> shot = ((ChromeDriver) browser).executeCdpCommand("Page.captureScreenshot", Map.of(
                "format", "png", "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0,
                        "width", width.intValue(), "height", height.intValue(), "scale", 1)));
        Path png = screenshots.resolve(name + ".png");
        Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
        System.out.println("screenshot " + png.toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}

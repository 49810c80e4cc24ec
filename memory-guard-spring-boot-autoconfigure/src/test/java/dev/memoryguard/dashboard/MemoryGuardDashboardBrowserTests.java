package dev.memoryguard.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.FileSystemUtils;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for the dashboard page in a real headless Chromium, against a running
 * application. Skipped when Chromium or its driver is not installed (Debian packages
 * {@code chromium} and {@code chromium-driver}; other locations with
 * {@code -Dchromium.binary=... -Dchromium.driver=...}).
 */
class MemoryGuardDashboardBrowserTests {

	private static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));

	private static final Path CHROMEDRIVER = Path.of(System.getProperty("chromium.driver", "/usr/bin/chromedriver"));

	private static ChromeDriver browser;

	private static Path profile;

	@BeforeAll
	static void startBrowser() throws Exception {
		if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
			return;
		}
		System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
		profile = Files.createTempDirectory("memory-guard-chromium");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1200,1370", "--user-data-dir=" + profile);
		LoggingPreferences logging = new LoggingPreferences();
		logging.enable(LogType.BROWSER, Level.ALL);
		options.setCapability("goog:loggingPrefs", logging);
		browser = new ChromeDriver(options);
	}

	@BeforeEach
	void leaveThePreviousPage() {
		assumeTrue(browser != null, "Browser tests skipped: no " + CHROMIUM + " or " + CHROMEDRIVER
				+ " (install the Debian packages chromium and chromium-driver)");
		// the previous test's page polls until it is left; its log is not this test's
		browser.get("about:blank");
		browser.manage().logs().get(LogType.BROWSER);
	}

	@AfterAll
	static void stopBrowser() throws Exception {
		if (browser != null) {
			browser.quit();
		}
		if (profile != null) {
			FileSystemUtils.deleteRecursively(profile);
		}
	}

	@Test
	void pageShowsTheLevelAndAChartAndFollowsPressureWithoutConsoleErrors() {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run("memory-guard.dashboard.enabled=true",
				"management.endpoints.web.exposure.include=health,memory")) {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			probe.setPressure(MemoryPressure.NORMAL);
			browser.get("http://localhost:" + DashboardTestApplication.port(context) + "/memory-guard");
			WebElement badge = browser.findElement(By.id("pressure"));
			waitUntil(Duration.ofSeconds(10), () -> "NORMAL".equals(badge.getText()));
			waitUntil(Duration.ofSeconds(15), () -> points() >= 3);
			assertThat(browser.findElements(By.cssSelector("#heap-chart canvas"))).isNotEmpty();
			assertThat(browser.findElement(By.id("notice")).isDisplayed()).isFalse();
			assertThat(browser.findElement(By.id("rss-summary")).getText()).contains("no container memory limit");
			probe.setPressure(MemoryPressure.CRITICAL);
			waitUntil(Duration.ofSeconds(6), () -> "CRITICAL".equals(badge.getText()));
			assertThat(badge.getAttribute("data-level")).isEqualTo("CRITICAL");
			assertThat(badge.getCssValue("background-color")).isEqualTo("rgba(207, 34, 46, 1)");
			probe.setPressure(MemoryPressure.NORMAL);
			waitUntil(Duration.ofSeconds(6), () -> "NORMAL".equals(badge.getText()));
			assertThat(consoleErrors()).isEmpty();
		}
	}

	@Test
	void pageExplainsHowToExposeTheEndpointWhenItIsNotExposed() {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run("memory-guard.dashboard.enabled=true",
				"management.endpoints.web.exposure.include=health")) {
			browser.get("http://localhost:" + DashboardTestApplication.port(context) + "/memory-guard/");
			WebElement notice = browser.findElement(By.id("notice"));
			waitUntil(Duration.ofSeconds(10), notice::isDisplayed);
			assertThat(notice.getText()).contains("not exposed over HTTP")
				.contains("management.endpoints.web.exposure.include=memory");
			assertThat(browser.findElement(By.id("content")).isDisplayed()).isFalse();
			assertThat(browser.findElement(By.id("pressure")).getText()).isEqualTo("UNAVAILABLE");
		}
	}

	@Test
	void screenshotOfAPressureEpisode() throws Exception {
		try (ConfigurableApplicationContext context = DashboardTestApplication.run("memory-guard.dashboard.enabled=true",
				"management.endpoints.web.exposure.include=health,memory", "demo.caches=true")) {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			MemoryGuard guard = context.getBean(MemoryGuard.class);
			DemoCaches caches = context.getBean(DemoCaches.class);
			probe.setHeapMax(512L << 20);
			probe.setLiveRatio(0.30);
			probe.setRss(420L << 20, 1024L << 20);
			for (int step = 0; step <= 60; step++) {
				double live = 0.30 + 0.62 * step / 60;
				probe.setUsedRatio(Math.min(0.99, live + 0.04 * (step % 5)));
				probe.setLiveRatio(live);
				probe.setRss((long) ((420 + 400.0 * step / 60) * (1 << 20)), 1024L << 20);
				runJobs(guard, step);
				useCaches(caches, step);
				Thread.sleep(200);
			}
			browser.get("http://localhost:" + DashboardTestApplication.port(context) + "/memory-guard/");
			WebElement badge = browser.findElement(By.id("pressure"));
			waitUntil(Duration.ofSeconds(6), () -> "CRITICAL".equals(badge.getText()));
			waitUntil(Duration.ofSeconds(6), () -> browser.findElement(By.id("jobs")).getText().contains("nightly-report")
					&& browser.findElement(By.id("caches")).getText().contains("products"));
			assertThat(points()).isGreaterThanOrEqualTo(30);
			assertThat(browser.findElements(By.cssSelector("#rss-chart canvas"))).isNotEmpty();
			assertThat(consoleErrors()).isEmpty();
			byte[] png = browser.getScreenshotAs(OutputType.BYTES);
			Path docs = projectRoot().resolve("docs");
			Files.createDirectories(docs);
			Files.write(docs.resolve("dashboard.png"), png);
			assertThat(png).hasSizeGreaterThan(10_000);
		}
	}

	private static void runJobs(MemoryGuard guard, int step) {
		try {
			guard.execute("nightly-report", () -> new byte[(step % 7 + 1) << 20].length);
			if (step % 3 == 0) {
				guard.execute("cache-warmup", () -> new byte[256 << 10].length);
			}
		}
		catch (MemoryPressureException ex) {
			// refused under pressure and counted as failed
		}
		if (guard.pressure() != MemoryPressure.NORMAL) {
			guard.jobs().recordSkipped("export-invoices");
		}
	}

	private static void useCaches(DemoCaches caches, int step) {
		DemoCaches.DemoCache products = caches.cache("products", 500L, null);
		DemoCaches.DemoCache reports = caches.cache("reports", null, 64L << 20);
		for (int i = 0; i < 40; i++) {
			products.get((step * 7 + i) % 600, 16 << 10);
			reports.get(i % (step / 4 + 1), 2 << 20);
		}
	}

	private static int points() {
		String points = browser.findElement(By.id("heap-chart")).getAttribute("data-points");
		return (points != null) ? Integer.parseInt(points) : 0;
	}

	private static List<String> consoleErrors() {
		return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
			.filter((entry) -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
			.map(LogEntry::getMessage)
			.collect(Collectors.toList());
	}

	private static void waitUntil(Duration timeout, java.util.function.BooleanSupplier condition) {
		new WebDriverWait(browser, timeout, Duration.ofMillis(100)).until((driver) -> condition.getAsBoolean());
	}

	private static Path projectRoot() {
		Path dir = Path.of("").toAbsolutePath();
		while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
			dir = dir.getParent();
		}
		assertThat(dir).as("project root (the directory holding mvnw)").isNotNull();
		return dir;
	}

}

package dev.memoryguard.job;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureException;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@code @MemorySafe} methods in a real application context, driven by a
 * {@link ManualMemoryProbe}.
 */
@ExtendWith(OutputCaptureExtension.class)
class MemorySafeTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class))
		.withUserConfiguration(JobsConfiguration.class);

	@Test
	void eachPolicyRunsBelowItsThresholdAndYieldsAtOrAboveIt() {
		this.contextRunner.run((context) -> {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			JobAccounting accounting = context.getBean(JobAccounting.class);
			for (MemoryPressure level : MemoryPressure.values()) {
				probe.setPressure(level);
				jobs.skipAtCritical();
				jobs.skipAtWarning();
				jobs.deferAtCritical();
				jobs.deferAtWarning();
				callIgnoringRefusal(jobs::failAtCritical);
				callIgnoringRefusal(jobs::failAtWarning);
			}
			// NORMAL and WARNING ran for CRITICAL thresholds; NORMAL alone for WARNING ones
			assertThat(calls.count("skipAtCritical")).isEqualTo(2);
			assertThat(calls.count("skipAtWarning")).isEqualTo(1);
			assertThat(calls.count("failAtCritical")).isEqualTo(2);
			assertThat(calls.count("failAtWarning")).isEqualTo(1);
			assertThat(accounting.stats("skip-critical")).extracting(JobStats::runs, JobStats::skipped)
				.containsExactly(2L, 1L);
			assertThat(accounting.stats("skip-warning")).extracting(JobStats::runs, JobStats::skipped)
				.containsExactly(1L, 2L);
			assertThat(accounting.stats("fail-critical")).extracting(JobStats::runs, JobStats::failed)
				.containsExactly(2L, 1L);
			assertThat(accounting.stats("fail-warning")).extracting(JobStats::runs, JobStats::failed)
				.containsExactly(1L, 2L);
			// deferAtWarning was deferred at WARNING and its call at CRITICAL coalesced into that deferral
			assertThat(accounting.stats("defer-critical")).extracting(JobStats::runs, JobStats::deferred)
				.containsExactly(2L, 1L);
			assertThat(accounting.stats("defer-warning")).extracting(JobStats::runs, JobStats::deferred,
					JobStats::skipped)
				.containsExactly(1L, 1L, 1L);
			probe.setPressure(MemoryPressure.NORMAL);
			await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("deferAtWarning") == 2);
			await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("deferAtCritical") == 3);
			assertThat(accounting.stats("defer-warning").runs()).isEqualTo(2);
			assertThat(accounting.stats("defer-critical").runs()).isEqualTo(3);
		});
	}

	@Test
	void failThrowsMemoryPressureExceptionNamingTheJob() {
		this.contextRunner.run((context) -> {
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			assertThatExceptionOfType(MemoryPressureException.class).isThrownBy(jobs::failAtCritical)
				.withMessageContaining("Job 'fail-critical' refused: memory pressure CRITICAL")
				.satisfies((ex) -> {
					assertThat(ex.getOperation()).isEqualTo("fail-critical");
					assertThat(ex.getSnapshot().pressure()).isEqualTo(MemoryPressure.CRITICAL);
				});
			assertThat(calls.count("failAtCritical")).isZero();
		});
	}

	@Test
	void deferralsOfOneJobCoalesceAndRunOnceOnRecovery() {
		this.contextRunner.run((context) -> {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			JobDeferrals deferrals = context.getBean(JobDeferrals.class);
			probe.setPressure(MemoryPressure.CRITICAL);
			for (int i = 0; i < 5; i++) {
				jobs.deferAtCritical();
			}
			assertThat(deferrals.pendingCount()).isEqualTo(1);
			assertThat(calls.count("deferAtCritical")).isZero();
			probe.setPressure(MemoryPressure.WARNING);
			await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("deferAtCritical") == 1);
			assertThat(calls.thread("deferAtCritical")).as("without a TaskScheduler bean")
				.isEqualTo("memory-guard-deferrals");
			assertThat(deferrals.pendingCount()).isZero();
			assertThat(context.getBean(JobAccounting.class).stats("defer-critical"))
				.extracting(JobStats::runs, JobStats::deferred, JobStats::skipped)
				.containsExactly(1L, 1L, 4L);
		});
	}

	@Test
	void deferredRunIsReCheckedAfterTheDelayWhenHeadroomReturnsWithoutALevelChange() {
		this.contextRunner.run((context) -> {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			probe.setLiveRatio(0.5); // NORMAL, 358 MB under the critical threshold of 1 GiB
			jobs.deferForHeadroom();
			assertThat(calls.count("deferForHeadroom")).isZero();
			probe.setLiveRatio(0.2); // still NORMAL: no event, only the timer sees it
			await().atMost(Duration.ofSeconds(10)).until(() -> calls.count("deferForHeadroom") == 1);
			JobStats stats = context.getBean(JobAccounting.class).stats("defer-headroom");
			assertThat(stats.runs()).isEqualTo(1);
			assertThat(stats.deferred()).isGreaterThanOrEqualTo(1);
			assertThat(stats.skipped()).isZero();
		});
	}

	@Test
	void deferralGivesUpAfterMaxDeferralsAndCountsTheCallSkipped() {
		this.contextRunner.run((context) -> {
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			JobAccounting accounting = context.getBean(JobAccounting.class);
			jobs.deferTwice();
			await().atMost(Duration.ofSeconds(10)).until(() -> accounting.stats("defer-twice").skipped() == 1);
			assertThat(accounting.stats("defer-twice")).extracting(JobStats::runs, JobStats::deferred,
					JobStats::skipped)
				.containsExactly(0L, 2L, 1L);
			assertThat(context.getBean(JobDeferrals.class).pendingCount()).isZero();
			assertThat(calls.count("deferTwice")).isZero();
		});
	}

	@Test
	void shutdownCancelsPendingDeferralsAndCountsThemSkipped(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			JobAccounting accounting = context.getBean(JobAccounting.class);
			JobDeferrals deferrals = context.getBean(JobDeferrals.class);
			jobs.deferAtCritical();
			jobs.deferAtWarning();
			assertThat(deferrals.pendingCount()).isEqualTo(2);
			context.close();
			assertThat(deferrals.pendingCount()).isZero();
			assertThat(accounting.stats("defer-critical")).extracting(JobStats::deferred, JobStats::skipped)
				.containsExactly(1L, 1L);
			assertThat(accounting.stats("defer-warning")).extracting(JobStats::deferred, JobStats::skipped)
				.containsExactly(1L, 1L);
			assertThat(calls.count("deferAtCritical") + calls.count("deferAtWarning")).isZero();
		});
		assertThat(output).contains("Cancelled the deferred run of job 'defer-critical' on shutdown after 1 deferrals")
			.contains("Cancelled the deferred run of job 'defer-warning' on shutdown after 1 deferrals");
	}

	@Test
	void skipsAreLoggedOncePerLevelNotPerCall(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			probe.setPressure(MemoryPressure.WARNING);
			for (int i = 0; i < 5; i++) {
				jobs.skipAtWarning();
			}
			probe.setPressure(MemoryPressure.CRITICAL);
			for (int i = 0; i < 5; i++) {
				jobs.skipAtWarning();
			}
			probe.setPressure(MemoryPressure.NORMAL);
			jobs.skipAtWarning();
			assertThat(context.getBean(JobAccounting.class).stats("skip-warning"))
				.extracting(JobStats::runs, JobStats::skipped)
				.containsExactly(1L, 10L);
		});
		assertThat(output.getOut().split("Skipping job 'skip-warning'")).hasSize(3);
		assertThat(output).contains("Skipping job 'skip-warning' (1 calls not run so far): memory pressure WARNING")
			.contains("Skipping job 'skip-warning' (6 calls not run so far): memory pressure CRITICAL")
			.contains("Job 'skip-warning' runs again at memory pressure NORMAL after 10 calls that did not run");
	}

	@Test
	void everyRunIsAccountedWithItsAllocation() {
		this.contextRunner.run((context) -> {
			Jobs jobs = context.getBean(Jobs.class);
			Calls calls = context.getBean(Calls.class);
			jobs.allocate(8 * 1024 * 1024);
			jobs.allocate(1024);
			JobStats stats = context.getBean(JobAccounting.class).stats("Jobs.allocate");
			assertThat(stats.runs()).isEqualTo(2);
			assertThat(stats.maxAllocated()).isGreaterThanOrEqualTo(8L * 1024 * 1024);
			assertThat(stats.lastAllocated()).isBetween(1024L, 1024L * 1024);
			assertThat(stats.lastDuration()).isPositive();
		});
	}

	@Test
	void jobsAreKnownWithZeroCountsBeforeTheirFirstCall() {
		this.contextRunner.run((context) -> assertThat(context.getBean(JobAccounting.class).stats())
			.containsKeys("skip-critical", "skip-warning", "fail-critical", "defer-critical", "Jobs.allocate",
					"ClassLevelJobs.first", "ClassLevelJobs.second")
			.allSatisfy((name, stats) -> assertThat(stats).isEqualTo(JobStats.NONE)));
	}

	@Test
	void annotationOnTheTypeGuardsEveryPublicMethod() {
		this.contextRunner.run((context) -> {
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			ClassLevelJobs jobs = context.getBean(ClassLevelJobs.class);
			Calls calls = context.getBean(Calls.class);
			jobs.first();
			jobs.second();
			assertThat(calls.count("calls")).isZero();
			assertThat(jobs.toString()).startsWith("ClassLevelJobs");
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.NORMAL);
			jobs.first();
			assertThat(calls.count("calls")).isOne();
		});
	}

	@Test
	void skippedCompletableFutureMethodReturnsACompletedFuture() {
		this.contextRunner.run((context) -> {
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			CompletableFuture<Void> result = context.getBean(Jobs.class).asyncSkip();
			assertThat(result).isCompletedWithValue(null);
			assertThat(context.getBean(JobAccounting.class).stats("Jobs.asyncSkip").skipped()).isOne();
		});
	}

	@Test
	void attributesLeftAtTheirDefaultsTakeTheProperties() {
		this.contextRunner
			.withPropertyValues("memory-guard.jobs.on-pressure=FAIL", "memory-guard.jobs.threshold=WARNING")
			.withUserConfiguration(DefaultsJobs.class)
			.run((context) -> {
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.WARNING);
				DefaultsJobs jobs = context.getBean(DefaultsJobs.class);
				assertThatExceptionOfType(MemoryPressureException.class).isThrownBy(jobs::total);
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.NORMAL);
				assertThat(jobs.total()).isEqualTo(42);
			});
	}

	@Test
	void placeholdersInAttributesAreResolved() {
		this.contextRunner.withPropertyValues("report.headroom=600MB")
			.withUserConfiguration(PlaceholderJobs.class)
			.run((context) -> {
				context.getBean(ManualMemoryProbe.class).setLiveRatio(0.5);
				PlaceholderJobs jobs = context.getBean(PlaceholderJobs.class);
				Calls calls = context.getBean(Calls.class);
				jobs.report();
				assertThat(calls.count("calls")).isZero();
				context.getBean(ManualMemoryProbe.class).setLiveRatio(0.1);
				jobs.report();
				assertThat(calls.count("calls")).isOne();
			});
	}

	@Test
	void interfaceProxiesFindTheAnnotationOnTheImplementation() {
		this.contextRunner.withPropertyValues("spring.aop.proxy-target-class=false")
			.withBean(Exporter.class, CsvExporter::new)
			.run((context) -> {
				Exporter exporter = context.getBean(Exporter.class);
				assertThat(AopUtils.isJdkDynamicProxy(exporter)).isTrue();
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
				assertThatExceptionOfType(MemoryPressureException.class).isThrownBy(() -> exporter.export(3));
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.NORMAL);
				assertThat(exporter.export(3)).isEqualTo("0,1,2");
				assertThat(context.getBean(JobAccounting.class).stats("CsvExporter.export"))
					.extracting(JobStats::runs, JobStats::failed)
					.containsExactly(1L, 1L);
			});
	}

	private static void callIgnoringRefusal(Runnable call) {
		try {
			call.run();
		}
		catch (MemoryPressureException ex) {
			// counted as failed
		}
	}

	interface Exporter {

		String export(int rows);

	}

	static class CsvExporter implements Exporter {

		@Override
		@MemorySafe(onPressure = OnPressure.FAIL)
		public String export(int rows) {
			return String.join(",", IntStream.range(0, rows).mapToObj(String::valueOf).toList());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JobsConfiguration {

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

		@Bean
		Calls calls() {
			return new Calls();
		}

		@Bean
		Jobs jobs(Calls calls) {
			return new Jobs(calls);
		}

		@Bean
		ClassLevelJobs classLevelJobs(Calls calls) {
			return new ClassLevelJobs(calls);
		}

	}

	static class Calls {

		private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

		private final Map<String, String> threads = new ConcurrentHashMap<>();

		void add(String name) {
			this.counts.computeIfAbsent(name, (key) -> new AtomicInteger()).incrementAndGet();
			this.threads.put(name, Thread.currentThread().getName());
		}

		String thread(String name) {
			return this.threads.get(name);
		}

		int count(String name) {
			AtomicInteger count = this.counts.get(name);
			return (count != null) ? count.get() : 0;
		}

	}

	static class Jobs {

		private final Calls calls;

		Jobs(Calls calls) {
			this.calls = calls;
		}









		@MemorySafe(name = "skip-critical")
		public void skipAtCritical() {
			this.calls.add("skipAtCritical");
		}

		@MemorySafe(name = "skip-warning", threshold = MemoryPressure.WARNING, onPressure = OnPressure.SKIP)
		public void skipAtWarning() {
			this.calls.add("skipAtWarning");
		}

		@MemorySafe(name = "fail-critical", onPressure = OnPressure.FAIL)
		public void failAtCritical() {
			this.calls.add("failAtCritical");
		}

		@MemorySafe(name = "fail-warning", onPressure = OnPressure.FAIL, threshold = MemoryPressure.WARNING)
		public long failAtWarning() {
			this.calls.add("failAtWarning");
			return 1;
		}

		@MemorySafe(name = "defer-critical", onPressure = OnPressure.DEFER, deferDelay = "1h")
		public void deferAtCritical() {
			this.calls.add("deferAtCritical");
		}

		@MemorySafe(name = "defer-warning", onPressure = OnPressure.DEFER, threshold = MemoryPressure.WARNING,
				deferDelay = "PT1H")
		public void deferAtWarning() {
			this.calls.add("deferAtWarning");
		}

		@MemorySafe(name = "defer-headroom", onPressure = OnPressure.DEFER, requires = "500MB", deferDelay = "50ms",
				maxDeferrals = 1000)
		public void deferForHeadroom() {
			this.calls.add("deferForHeadroom");
		}

		@MemorySafe(name = "defer-twice", onPressure = OnPressure.DEFER, deferDelay = "20ms", maxDeferrals = 2)
		public void deferTwice() {
			this.calls.add("deferTwice");
		}

		@MemorySafe(onPressure = OnPressure.FAIL)
		public int allocate(int bytes) {
			return new byte[bytes].length;
		}

		@MemorySafe(onPressure = OnPressure.SKIP)
		public CompletableFuture<Void> asyncSkip() {
			return CompletableFuture.completedFuture(null);
		}

	}

	@MemorySafe(onPressure = OnPressure.SKIP)
	static class ClassLevelJobs {

		private final Calls calls;

		ClassLevelJobs(Calls calls) {
			this.calls = calls;
		}


		public void first() {
			this.calls.add("calls");
		}

		public void second() {
			this.calls.add("calls");
		}

		@Override
		public String toString() {
			return "ClassLevelJobs";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultsJobs {

		@MemorySafe
		public int total() {
			return 42;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlaceholderJobs {

		private final Calls calls;

		PlaceholderJobs(Calls calls) {
			this.calls = calls;
		}


		@MemorySafe(requires = "${report.headroom}")
		public void report() {
			this.calls.add("calls");
		}

	}

}

package dev.memoryguard.job;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.annotation.OnPressure;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for a real {@code @Scheduled} job guarded by {@code @MemorySafe}.
 */
class MemorySafeScheduledTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
				MemorySafeAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
		.withUserConfiguration(ScheduledConfiguration.class);

	@BeforeEach
	void reset() {
		ReportJob.counter.set(0);
		ExportJob.thread.set(null);
	}

	@Test
	void scheduledJobIsSkippedWhileCriticalAndRunsAgainAfterNormal() {
		this.contextRunner.run((context) -> {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			JobAccounting accounting = context.getBean(JobAccounting.class);
			// the probe started CRITICAL: the scheduler fires but nothing runs
			await().atMost(Duration.ofSeconds(10)).until(() -> accounting.stats("report").skipped() >= 5);
			assertThat(ReportJob.counter.get()).isZero();
			assertThat(accounting.stats("report").runs()).isZero();
			probe.setPressure(MemoryPressure.NORMAL);
			await().atMost(Duration.ofSeconds(10)).until(() -> ReportJob.counter.get() >= 3);
			assertThat(accounting.stats("report").runs()).isGreaterThanOrEqualTo(3);
			probe.setPressure(MemoryPressure.CRITICAL);
			long skippedBefore = accounting.stats("report").skipped();
			await().atMost(Duration.ofSeconds(10)).until(() -> accounting.stats("report").skipped() >= skippedBefore + 3);
			assertThat(context.getBean(JobDeferrals.class).pendingCount()).isZero();
		});
	}

	@Test
	void deferredRunsGoToTheApplicationsTaskScheduler() {
		this.contextRunner.run((context) -> {
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			context.getBean(ExportJob.class).export();
			assertThat(ExportJob.thread.get()).isNull();
			probe.setPressure(MemoryPressure.NORMAL);
			await().atMost(Duration.ofSeconds(10)).until(() -> ExportJob.thread.get() != null);
			assertThat(ExportJob.thread.get()).startsWith("scheduling-");
		});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class ScheduledConfiguration {

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe().setPressure(MemoryPressure.CRITICAL);
		}

		@Bean
		ReportJob reportJob() {
			return new ReportJob();
		}

		@Bean
		ExportJob exportJob() {
			return new ExportJob();
		}

	}

	static class ReportJob {

		static final AtomicInteger counter = new AtomicInteger();

		@Scheduled(fixedRate = 20)
		@MemorySafe(name = "report")
		public void report() {
			counter.incrementAndGet();
		}

	}

	static class ExportJob {

		static final AtomicReference<String> thread = new AtomicReference<>();

		@MemorySafe(onPressure = OnPressure.DEFER, deferDelay = "1h")
		public void export() {
			thread.set(Thread.currentThread().getName());
		}

	}

}

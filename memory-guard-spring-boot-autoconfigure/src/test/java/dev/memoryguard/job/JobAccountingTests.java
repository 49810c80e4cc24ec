package dev.memoryguard.job;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.actuate.metrics.MemoryGuardMetrics;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link JobAccounting}: bounded names, unknown allocation.
 */
@ExtendWith(OutputCaptureExtension.class)
class JobAccountingTests {

	@Test
	void namesBeyondTheBoundAreAccountedUnderOneOverflowEntryAndTheMetersStayBounded(CapturedOutput output) {
		MemoryGuard guard = new MemoryGuard(new ManualMemoryProbe(), MemoryThresholds.DEFAULTS, Duration.ofHours(1));
		SimpleMeterRegistry registry = new SimpleMeterRegistry();
		new MemoryGuardMetrics(guard).bindTo(registry);
		for (int i = 0; i < 3000; i++) {
			int run = i;
			guard.execute("import-" + run, () -> run);
		}
		assertThat(guard.jobs().stats()).hasSize(JobAccounting.MAX_NAMES + 1)
			.containsKey(JobAccounting.OVERFLOW);
		assertThat(guard.jobs().stats(JobAccounting.OVERFLOW).runs()).isEqualTo(3000 - JobAccounting.MAX_NAMES);
		assertThat(registry.find("memory.guard.jobs").counters()).hasSize(JobAccounting.MAX_NAMES + 1);
		assertThat(registry.find("memory.guard.jobs").tag("name", JobAccounting.OVERFLOW).counter().count())
			.isEqualTo(3000 - JobAccounting.MAX_NAMES);
		assertThat(output).containsOnlyOnce("More than 500 guarded job names: 'import-500'");
	}

	@Test
	void runsThatCannotBeMeasuredReportUnknownAllocationNotZero() {
		JobAccounting accounting = new JobAccounting();
		accounting.register("never-ran");
		assertThat(accounting.stats("never-ran").lastAllocated()).isZero();
		accounting.recordRun("virtual", -1, Duration.ofMillis(3));
		assertThat(accounting.stats("virtual").lastAllocated()).isEqualTo(-1);
		assertThat(accounting.stats("virtual").maxAllocated()).isEqualTo(-1);
		accounting.recordRun("virtual", 2048, Duration.ofMillis(3));
		accounting.recordRun("virtual", -1, Duration.ofMillis(3));
		assertThat(accounting.stats("virtual").lastAllocated()).isEqualTo(-1);
		assertThat(accounting.stats("virtual").maxAllocated()).isEqualTo(2048);
	}

	@Test
	void onAVirtualThreadAllocationIsUnknown() throws Exception {
		ExecutorService virtualThreads = virtualThreadPerTaskExecutor();
		try {
			MemoryGuard guard = new MemoryGuard(new ManualMemoryProbe(), MemoryThresholds.DEFAULTS,
					Duration.ofHours(1));
			virtualThreads.submit(() -> guard.execute("on-virtual", () -> new byte[1 << 20])).get(10, TimeUnit.SECONDS);
			assertThat(guard.jobs().stats("on-virtual").runs()).isEqualTo(1);
			assertThat(guard.jobs().stats("on-virtual").lastAllocated()).isEqualTo(-1);
		}
		finally {
			virtualThreads.shutdown();
		}
	}

	@Test
	void scheduledJobsOnVirtualThreadsReportUnknownAllocation() {
		assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
					MemorySafeAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
			.withUserConfiguration(VirtualScheduling.class)
			.withPropertyValues("spring.threads.virtual.enabled=true")
			.run((context) -> {
				JobAccounting accounting = context.getBean(JobAccounting.class);
				await().atMost(Duration.ofSeconds(10)).until(() -> accounting.stats("virtual-report").runs() >= 2);
				assertThat(VirtualScheduling.ranOnVirtual).isTrue();
				assertThat(accounting.stats("virtual-report").lastAllocated()).isEqualTo(-1);
				assertThat(accounting.stats("virtual-report").maxAllocated()).isEqualTo(-1);
			});
	}

	private static ExecutorService virtualThreadPerTaskExecutor() throws Exception {
		assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21");
		return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class VirtualScheduling {

		static volatile boolean ranOnVirtual;

		@Bean
		VirtualReport virtualReport() {
			return new VirtualReport();
		}

	}

	static class VirtualReport {

		@Scheduled(fixedDelay = 50)
		@MemorySafe(name = "virtual-report")
		public void run() {
			VirtualScheduling.ranOnVirtual = ThreadAllocation.isVirtualThread();
		}

	}

}

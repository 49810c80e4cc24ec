package dev.memoryguard.job;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;

/**
 * A small application run in a forked JVM with a small heap by
 * {@link MemorySafeForkedJvmTests}: one part of it holds 60% of the heap while a
 * scheduled report job needs 48 MB per run. Run with {@code guarded} the job carries
 * {@code @MemorySafe(requires = "48MB")}; with {@code unguarded} it does not.
 */
public final class HeapHoldingApplication {

	static final int REPORT_BYTES = 48 * 1024 * 1024;

	private HeapHoldingApplication() {
	}

	public static void main(String[] args) throws Exception {
		boolean guarded = "guarded".equals(args[0]);
		Class<?> job = guarded ? GuardedReport.class : UnguardedReport.class;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Base.class, job)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off")
			.run()) {
			TimeUnit.SECONDS.sleep(5);
			JobStats stats = context.getBean(JobAccounting.class).stats("report");
			System.out.println("RESULT runs=" + stats.runs() + " skipped=" + stats.skipped() + " held="
					+ context.getBean(Holder.class).held() + " " + context.getBean(MemoryGuard.class).snapshot());
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@ImportAutoConfiguration({ MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class,
			TaskSchedulingAutoConfiguration.class })
	static class Base {

		@Bean
		Holder holder() {
			return new Holder(0.60);
		}

	}

	/**
	 * The part of the application that holds memory: a cache filled at startup.
	 */
	static final class Holder {

		private static final int CHUNK = 128 * 1024;

		private final List<byte[]> chunks = new ArrayList<>();

		Holder(double fractionOfHeap) {
			long target = (long) (Runtime.getRuntime().maxMemory() * fractionOfHeap);
			// small chunks: G1 stores arrays of half a region or more as humongous, wasting the rest
			for (long held = 0; held < target; held += CHUNK) {
				this.chunks.add(new byte[CHUNK]);
			}
			System.gc();
		}

		long held() {
			return (long) this.chunks.size() * CHUNK;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GuardedReport {

		@Scheduled(initialDelay = 1500, fixedRate = 100)
		@MemorySafe(name = "report", requires = "48MB")
		public void report() {
			byte[] buffer = new byte[REPORT_BYTES];
			buffer[buffer.length - 1] = 1;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UnguardedReport {

		@Scheduled(initialDelay = 1500, fixedRate = 100)
		public void report() {
			byte[] buffer = new byte[REPORT_BYTES];
			buffer[buffer.length - 1] = 1;
		}

	}

}

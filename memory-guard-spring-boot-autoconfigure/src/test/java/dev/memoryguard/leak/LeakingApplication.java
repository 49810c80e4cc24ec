package dev.memoryguard.leak;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardHeapDumpAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardLeakAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardReliefAutoConfiguration;

/**
 * Run in a forked JVM with a small heap by {@link LeakInForkedJvmTests}: starts the
 * guard with leak detection and heap dumps, then leaks {@code leak.bytes-per-second}
 * while churning garbage, until it runs out of memory or {@code leak.max-seconds} pass.
 * Prints {@code LEAK_SUSPECTED <elapsed ms> <forecast>} and
 * {@code OUT_OF_MEMORY <elapsed ms>}; exits with 3 after an OutOfMemoryError, 4 when
 * time ran out.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ MemoryGuardAutoConfiguration.class, MemoryGuardLeakAutoConfiguration.class,
		MemoryGuardHeapDumpAutoConfiguration.class, MemoryGuardReliefAutoConfiguration.class })
public class LeakingApplication {

	static final List<byte[]> leaked = new ArrayList<>();

	static volatile Object sink;

	public static void main(String[] args) throws Exception {
		long start = System.nanoTime();
		SpringApplication application = new SpringApplication(LeakingApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addListeners((LeakSuspectedEvent event) -> System.out.println(
				"LEAK_SUSPECTED " + elapsedMillis(start) + " " + event.report().exhaustionForecast()));
		ConfigurableApplicationContext context = application.run(args);
		long bytesPerSecond = context.getEnvironment().getRequiredProperty("leak.bytes-per-second", Long.class);
		long maxSeconds = context.getEnvironment().getRequiredProperty("leak.max-seconds", Long.class);
		int chunk = (int) (bytesPerSecond / 10);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
		try {
			while (System.nanoTime() < deadline) {
				leaked.add(new byte[chunk]);
				for (int i = 0; i < 64; i++) {
					sink = new byte[16 * 1024];
				}
				Thread.sleep(100);
			}
		}
		catch (OutOfMemoryError ex) {
			leaked.clear();
			System.out.println("OUT_OF_MEMORY " + elapsedMillis(start));
			Thread.sleep(1000);
			System.exit(3);
		}
		System.exit(4);
	}

	private static long elapsedMillis(long start) {
		return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
	}

}

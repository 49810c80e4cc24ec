package dev.memoryguard.container;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryReading;
import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardReliefAutoConfiguration;
import dev.memoryguard.autoconfigure.MemorySafeAutoConfiguration;

/**
 * An application run by {@link RealCgroupTests} in a forked JVM inside a real memory
 * cgroup. Arguments: the mode, the seconds to run, then Spring properties
 * ({@code --memory-guard.enabled=false}).
 * <ul>
 * <li>{@code grow}: a {@code @MemorySafe} job keeps 4 MB of touched native memory every
 * 200 ms (20 MB/s); a relief action frees it all.</li>
 * <li>{@code idle}: nothing happens; the heap is whatever the JVM options commit.</li>
 * <li>{@code tmpfs}: after 3 s a child process writes a file of the size given by the
 * system property {@code tmpfs.megabytes} to {@code /dev/shm} (charged to the cgroup); once
 * the guard has seen it, or after 10 s, the file is deleted.</li>
 * </ul>
 * Prints {@code READY} with what the guard found, {@code LEVEL} per change, {@code RUN}
 * per job run, {@code RELIEF} per relief, {@code SAMPLE} every second and {@code RESULT}.
 */
public final class ContainerScenarioApplication {

	static final int CHUNK = 4 * 1024 * 1024;

	static final long START = System.nanoTime();

	private ContainerScenarioApplication() {
	}

	public static void main(String[] args) throws Exception {
		String mode = args[0];
		int seconds = Integer.parseInt(args[1]);
		String[] properties = Arrays.copyOfRange(args, 2, args.length);
		Class<?> scenario = "grow".equals(mode) ? Grow.class : Base.class;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Base.class, scenario)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "logging.level.dev.memoryguard=INFO")
			.run(properties)) {
			MemoryGuard guard = context.getBeanProvider(MemoryGuard.class).getIfAvailable();
			if (guard != null) {
				ContainerUsage container = guard.snapshot().reading().container();
				print("READY", "limit=%d path=%s version=%d max=%d", container.limit(), container.path(),
						container.version(), Runtime.getRuntime().maxMemory());
				guard.addListener((change) -> print("LEVEL", "%s->%s %s", change.previous(), change.current(),
						describe(change.snapshot())));
			}
			else {
				print("READY", "guard=off");
			}
			Path file = Path.of("/dev/shm/memory-guard-test-" + ProcessHandle.current().pid());
			boolean filled = false;
			boolean deleted = false;
			long filledAt = 0;
			for (int second = 0; second < seconds; second++) {
				TimeUnit.SECONDS.sleep(1);
				if (guard != null) {
					print("SAMPLE", "%s", describe(guard.snapshot()));
				}
				if ("tmpfs".equals(mode) && second == 3) {
					String size = System.getProperty("tmpfs.megabytes", "128") + "M";
					new ProcessBuilder("sh", "-c", "head -c " + size + " /dev/zero > " + file).inheritIO()
						.start()
						.waitFor();
					filled = true;
					filledAt = second;
					print("FILLED", "%s", size);
				}
				if (filled && !deleted && guard != null
						&& (guard.pressure() != MemoryPressure.NORMAL || second - filledAt >= 10)) {
					Files.deleteIfExists(file);
					deleted = true;
					print("DELETED", "");
				}
			}
			Files.deleteIfExists(file);
			print("RESULT", "runs=%d", context.getBeanProvider(NativePool.class).stream().mapToLong(NativePool::runs).sum());
		}
	}

	static String describe(MemorySnapshot snapshot) {
		MemoryReading reading = snapshot.reading();
		return String.format("pressure=%s container=%s heap=%s containerRatio=%.3f rssRatio=%.3f workingSet=%d",
				snapshot.pressure(), snapshot.containerPressure(), snapshot.heapPressure(), reading.containerRatio(),
				reading.rssRatio(), reading.container().workingSet());
	}

	/**
	 * Prints a line: its tag, the milliseconds since start, then the formatted rest.
	 */
	static void print(String tag, String format, Object... args) {
		System.out.println(tag + " " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - START) + " "
				+ String.format(format, args));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ MemoryGuardAutoConfiguration.class, MemorySafeAutoConfiguration.class,
			MemoryGuardReliefAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
	static class Base {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class Grow {

		@Bean
		NativePool nativePool() {
			return new NativePool();
		}

		@Bean
		GrowJob growJob(NativePool pool) {
			return new GrowJob(pool);
		}

	}

	static class GrowJob {

		private final NativePool pool;

		GrowJob(NativePool pool) {
			this.pool = pool;
		}

		@Scheduled(fixedRate = 200)
		@MemorySafe(name = "native-grow")
		public void grow() {
			this.pool.grow();
		}

	}

	/**
	 * Native memory the job keeps, touched so that it is resident; a relief action that
	 * frees it all.
	 */
	static class NativePool implements MemoryReliefAction {

		private static final MethodHandle allocate;

		private static final MethodHandle set;

		private static final MethodHandle free;

		static {
			try {
				Class<?> type = Class.forName("sun.misc.Unsafe");
				Field field = type.getDeclaredField("theUnsafe");
				field.setAccessible(true);
				Object unsafe = field.get(null);
				MethodHandles.Lookup lookup = MethodHandles.lookup();
				allocate = lookup.findVirtual(type, "allocateMemory", MethodType.methodType(long.class, long.class))
					.bindTo(unsafe);
				set = lookup
					.findVirtual(type, "setMemory",
							MethodType.methodType(void.class, long.class, long.class, byte.class))
					.bindTo(unsafe);
				free = lookup.findVirtual(type, "freeMemory", MethodType.methodType(void.class, long.class))
					.bindTo(unsafe);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

		private final List<Long> chunks = new ArrayList<>();

		private long runs;

		synchronized void grow() {
			try {
				long address = (long) allocate.invokeExact((long) CHUNK);
				set.invokeExact(address, (long) CHUNK, (byte) 1);
				this.chunks.add(address);
				this.runs++;
				print("RUN", "chunks=%d", this.chunks.size());
			}
			catch (Throwable ex) {
				throw new IllegalStateException(ex);
			}
		}

		synchronized long runs() {
			return this.runs;
		}

		@Override
		public synchronized long relieve(MemoryPressure pressure) {
			long freed = (long) this.chunks.size() * CHUNK;
			for (long address : this.chunks) {
				try {
					free.invokeExact(address);
				}
				catch (Throwable ex) {
					throw new IllegalStateException(ex);
				}
			}
			this.chunks.clear();
			print("RELIEF", "freed=%d", freed);
			return freed;
		}

	}

}

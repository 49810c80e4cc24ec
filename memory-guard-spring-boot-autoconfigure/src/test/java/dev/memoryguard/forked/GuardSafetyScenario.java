package dev.memoryguard.forked;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;

/**
 * Programs run in a JVM of their own by {@link GuardSafetyTests}, proving that the guard
 * never makes things worse.
 * <ul>
 * <li>{@code eden-garbage}: with {@code -XX:+DisableExplicitGC}, hold a quarter of the heap
 * and fill eden with garbage past the critical threshold, then allocate nothing: no
 * collection runs, and the guard must not take the heap in use for live data.</li>
 * <li>{@code listeners}: one pressure listener throws an {@code OutOfMemoryError} on every
 * change, another blocks for 10 s on CRITICAL; readings, Micrometer's GC meters and the
 * level seen by {@code pressure()} must go on.</li>
 * </ul>
 */
public final class GuardSafetyScenario {

	private static final int CHUNK = 64 * 1024;

	static volatile Object sink;

	private GuardSafetyScenario() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "eden-garbage" -> edenGarbage();
			case "listeners" -> listeners();
			default -> throw new IllegalArgumentException(args[0]);
		}
	}

	private static void edenGarbage() throws InterruptedException {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		long max = Runtime.getRuntime().maxMemory();
		MemoryThresholds thresholds = MemoryThresholds.DEFAULTS;
		JvmMemoryProbe probe = new JvmMemoryProbe(thresholds, true);
		MemoryGuard guard = new MemoryGuard(probe, thresholds, Duration.ofMillis(100));
		List<byte[]> live = new ArrayList<>();
		for (long held = 0; held < max * 0.25; held += CHUNK) {
			live.add(new byte[CHUNK]);
		}
		System.gc(); // ignored: -XX:+DisableExplicitGC
		guard.start();
		// fill eden with garbage until the heap in use is past the critical threshold
		long collectionsBefore = collections();
		long fillDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (memory.getHeapMemoryUsage().getUsed() < max * 0.88 && System.nanoTime() < fillDeadline) {
			sink = new byte[CHUNK];
		}
		double usedRatio = (double) memory.getHeapMemoryUsage().getUsed() / max;
		long quietStart = collections();
		MemoryPressure worst = MemoryPressure.NORMAL;
		double highestEstimate = 0;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			worst = MemoryPressure.worst(worst, guard.pressure());
			highestEstimate = Math.max(highestEstimate, guard.snapshot().liveRatio());
			Thread.sleep(10);
		}
		System.out.printf("RESULT used=%.3f worst=%s highestEstimate=%.3f quietCollections=%d requested=%d "
				+ "disabled=%s collectionsWhileFilling=%d%n", usedRatio, worst, highestEstimate,
				collections() - quietStart, probe.collections().count(), probe.collections().isExplicitGcDisabled(),
				quietStart - collectionsBefore);
		sink = live;
		guard.stop();
	}

	private static void listeners() throws InterruptedException {
		MeterRegistry registry = new SimpleMeterRegistry();
		JvmGcMetrics gcMetrics = new JvmGcMetrics();
		MemoryThresholds thresholds = new MemoryThresholds(0.30, 0.45, 0.05, 0.85, 0.95);
		long max = Runtime.getRuntime().maxMemory();
		MemoryGuard guard = new MemoryGuard(new JvmMemoryProbe(thresholds, false), thresholds,
				Duration.ofMillis(100));
		// registered before the meters: the JDK calls GC listeners in that order, and a
		// failure in the guard's would skip Micrometer's
		guard.start();
		gcMetrics.bindTo(registry);
		guard.addListener((change) -> {
			throw new OutOfMemoryError("listener failure on " + change.current());
		});
		guard.addListener((change) -> {
			if (change.current() == MemoryPressure.CRITICAL) {
				try {
					Thread.sleep(10_000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		});
		List<byte[]> live = new ArrayList<>();
		for (long held = 0; held < max * 0.60; held += CHUNK) {
			live.add(new byte[CHUNK]);
		}
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (guard.pressure() != MemoryPressure.CRITICAL && System.nanoTime() < deadline) {
			churn(64);
			Thread.sleep(5);
		}
		System.out.println("REACHED " + guard.pressure());
		// while the blocking listener sleeps: readings, GC meters
		double pausesBefore = pauses(registry);
		Set<Instant> timestamps = new HashSet<>();
		deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
		while (System.nanoTime() < deadline) {
			churn(64);
			timestamps.add(guard.snapshot().timestamp());
			Thread.sleep(5);
		}
		double pausesAfter = pauses(registry);
		live.clear();
		long released = System.nanoTime();
		deadline = released + TimeUnit.SECONDS.toNanos(4);
		while (guard.pressure() != MemoryPressure.NORMAL && System.nanoTime() < deadline) {
			churn(16);
			Thread.sleep(5);
		}
		System.out.printf("RESULT readings=%d gcPausesDuringBlock=%.0f recovered=%s recoveryMillis=%d%n",
				timestamps.size(), pausesAfter - pausesBefore, guard.pressure(),
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - released));
		System.out.flush();
		Runtime.getRuntime().halt(0);
	}

	private static double pauses(MeterRegistry registry) {
		return registry.find("jvm.gc.pause").timers().stream().mapToDouble(Timer::count).sum();
	}

	private static void churn(int chunks) {
		for (int i = 0; i < chunks; i++) {
			sink = new byte[CHUNK];
		}
	}

	private static long collections() {
		return ManagementFactory.getGarbageCollectorMXBeans().stream().mapToLong((bean) -> bean.getCollectionCount())
			.sum();
	}

}

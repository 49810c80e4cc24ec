package dev.memoryguard.forked;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;

/**
 * A program run in a JVM of its own with a small heap, so that the guard is proven on real
 * memory through the real probe. Prints one line per level change and a summary.
 * <ul>
 * <li>{@code grow-release}: retain memory in small arrays, with churn, until CRITICAL;
 * release it and allocate lightly until NORMAL.</li>
 * <li>{@code churn}: keep 40% of the heap live and allocate garbage hard; the level must
 * stay NORMAL.</li>
 * <li>{@code humongous}: retain 4MB arrays with no other allocation until CRITICAL.</li>
 * </ul>
 */
public final class PressureScenario {

	private static final int CHUNK = 64 * 1024;

	static volatile Object sink;

	private PressureScenario() {
	}

	public static void main(String[] args) throws InterruptedException {
		String scenario = args[0];
		long max = Runtime.getRuntime().maxMemory();
		MemoryGuard guard = new MemoryGuard(new JvmMemoryProbe(0.85), MemoryThresholds.DEFAULTS,
				Duration.ofMillis(250));
		long start = System.nanoTime();
		List<byte[]> retained = new ArrayList<>();
		long[] retainedBytes = { 0 };
		guard.addListener((event) -> System.out.printf("EVENT %d %s->%s estimate=%.3f true=%.3f%n",
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), event.previous(), event.current(),
				event.snapshot().liveRatio(), (double) retainedBytes[0] / max));
		guard.start();
		try {
			switch (scenario) {
				case "grow-release" -> growAndRelease(guard, max, retained, retainedBytes);
				case "churn" -> churn(guard, max, retained, retainedBytes);
				case "humongous" -> humongous(guard, max, retained, retainedBytes);
				default -> throw new IllegalArgumentException(scenario);
			}
		}
		catch (OutOfMemoryError ex) {
			retained.clear();
			System.out.println("RESULT oom");
		}
		finally {
			guard.stop();
		}
	}

	private static void growAndRelease(MemoryGuard guard, long max, List<byte[]> retained, long[] retainedBytes)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (guard.pressure() != MemoryPressure.CRITICAL && System.nanoTime() < deadline) {
			retained.add(new byte[CHUNK]);
			retainedBytes[0] += CHUNK;
			sink = new byte[CHUNK * 4];
			// about 1 s from empty to full: at a few hundred MB a second a 64MB heap fills
			// within the 30-300 ms a GC notification takes to arrive, which no signal built
			// on notifications can beat (the collector matrix measures the lead at 3%/s)
			if (retained.size() % 4 == 0) {
				Thread.sleep(1);
			}
		}
		System.out.printf("REACHED %s true=%.3f%n", guard.pressure(), (double) retainedBytes[0] / max);
		retained.clear();
		retainedBytes[0] = 0;
		deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (guard.pressure() != MemoryPressure.NORMAL && System.nanoTime() < deadline) {
			sink = new byte[CHUNK];
			Thread.sleep(1);
		}
		System.out.println("RECOVERED " + guard.pressure());
	}

	private static void churn(MemoryGuard guard, long max, List<byte[]> retained, long[] retainedBytes) {
		while (retainedBytes[0] < max * 0.40) {
			retained.add(new byte[CHUNK]);
			retainedBytes[0] += CHUNK;
		}
		MemoryPressure worst = MemoryPressure.NORMAL;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(8);
		double highestEstimate = 0;
		while (System.nanoTime() < deadline) {
			for (int i = 0; i < 64; i++) {
				sink = new byte[CHUNK];
			}
			worst = MemoryPressure.worst(worst, guard.pressure());
			highestEstimate = Math.max(highestEstimate, guard.snapshot().liveRatio());
		}
		System.out.printf("WORST %s highestEstimate=%.3f true=%.3f%n", worst, highestEstimate,
				(double) retainedBytes[0] / max);
	}

	private static void humongous(MemoryGuard guard, long max, List<byte[]> retained, long[] retainedBytes)
			throws InterruptedException {
		// just under 4MB so that each array fills whole 1MB G1 regions
		int size = 4 * 1024 * 1024 - 1024;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (guard.pressure() != MemoryPressure.CRITICAL && System.nanoTime() < deadline) {
			if (retainedBytes[0] + size < max * 0.90) {
				retained.add(new byte[size]);
				retainedBytes[0] += size;
			}
			Thread.sleep(100);
		}
		System.out.printf("REACHED %s true=%.3f%n", guard.pressure(), (double) retainedBytes[0] / max);
	}

}

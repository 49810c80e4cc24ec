package dev.memoryguard.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.memoryguard.GarbageCollector;
import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.RequestedCollections;

/**
 * One run forked by {@link InducedCollectionsBenchmark}:
 * {@code InducedCollectionsRun <live-ratio> <seconds> <confirm-with-gc>}. Holds a live set
 * of {@code live-ratio} of the max heap in 64 KB arrays, allocates 30 MB/s of short-lived
 * garbage beside it for {@code seconds}, under a guard with the collector's default
 * thresholds and the default GC budget, and prints
 * {@code RESULT <requested> <pause-ms> <seconds> <normal-s> <warning-s> <critical-s> <oom>}.
 */
public final class InducedCollectionsRun {

	private static final int CHUNK = 64 * 1024;

	private static final long GARBAGE_PER_SECOND = 30L * 1024 * 1024;

	static volatile Object sink;

	private InducedCollectionsRun() {
	}

	public static void main(String[] args) throws InterruptedException {
		double liveRatio = Double.parseDouble(args[0]);
		int seconds = Integer.parseInt(args[1]);
		boolean confirm = Boolean.parseBoolean(args[2]);
		GarbageCollector collector = GarbageCollector.current();
		MemoryThresholds thresholds = collector.effectiveThresholds(MemoryThresholds.DEFAULTS, false, false);
		RequestedCollections collections = new RequestedCollections(JvmMemoryProbe.DEFAULT_GC_BUDGET);
		MemoryGuard guard = new MemoryGuard(new JvmMemoryProbe(thresholds, confirm, collections), thresholds,
				Duration.ofSeconds(1));
		long max = Runtime.getRuntime().maxMemory();
		List<byte[]> live = new ArrayList<>();
		boolean oom = false;
		Map<MemoryPressure, Long> time = new EnumMap<>(MemoryPressure.class);
		try {
			for (long held = 0; held < max * liveRatio; held += CHUNK) {
				live.add(new byte[CHUNK]);
			}
			guard.start();
			long start = System.nanoTime();
			long end = start + TimeUnit.SECONDS.toNanos(seconds);
			long chunksPerTick = GARBAGE_PER_SECOND / CHUNK / 100;
			while (System.nanoTime() < end) {
				long tick = System.nanoTime();
				for (long i = 0; i < chunksPerTick; i++) {
					sink = new byte[CHUNK];
				}
				time.merge(guard.pressure(), 10L, Long::sum);
				long sleep = TimeUnit.MILLISECONDS.toNanos(10) - (System.nanoTime() - tick);
				if (sleep > 0) {
					TimeUnit.NANOSECONDS.sleep(sleep);
				}
			}
		}
		catch (OutOfMemoryError ex) {
			live.clear();
			oom = true;
		}
		finally {
			guard.stop();
		}
		System.out.printf("RESULT %d %d %d %.0f %.0f %.0f %s%n", collections.count(), collections.pauseTotal().toMillis(),
				seconds, time.getOrDefault(MemoryPressure.NORMAL, 0L) / 1000.0,
				time.getOrDefault(MemoryPressure.WARNING, 0L) / 1000.0,
				time.getOrDefault(MemoryPressure.CRITICAL, 0L) / 1000.0, oom);
		System.out.println("THRESHOLDS " + thresholds.warning() + " " + thresholds.critical() + " " + collector);
	}

}

package dev.memoryguard.forked;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemorySnapshot;
import dev.memoryguard.MemoryThresholds;

/**
 * A guard started after collections ran and garbage piled up in eden, as in an
 * application whose startup ran several collections: prints the guard's first reading
 * next to the heap in use and whether a collection ran in between.
 */
public final class StartupReading {

	private static List<byte[]> kept = new ArrayList<>();

	private StartupReading() {
	}

	public static void main(String[] args) {
		int garbageMegabytes = Integer.parseInt(args[0]);
		System.gc();
		long collectionsBefore = collections();
		for (int i = 0; i < garbageMegabytes; i++) {
			kept.add(new byte[1024 * 1024]);
		}
		// garbage now: still in eden, which no collection has emptied since
		kept = new ArrayList<>();
		MemoryGuard guard = new MemoryGuard(new JvmMemoryProbe(MemoryThresholds.DEFAULTS, false),
				MemoryThresholds.DEFAULTS, Duration.ofSeconds(10));
		guard.start();
		MemorySnapshot first = guard.refresh();
		long used = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
		System.out.printf(Locale.ROOT, "RESULT live=%d used=%d collectionsBetween=%d%n",
				first.reading().liveHeap(), used, collections() - collectionsBefore);
		guard.stop();
	}

	private static long collections() {
		long count = 0;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			count += Math.max(0, collector.getCollectionCount());
		}
		return count;
	}

}

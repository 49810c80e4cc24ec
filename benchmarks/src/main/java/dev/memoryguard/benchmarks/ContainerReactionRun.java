package dev.memoryguard.benchmarks;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.memoryguard.JvmMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.container.ContainerMemory;
import dev.memoryguard.container.ContainerSignal;
import dev.memoryguard.container.ContainerUsage;

/**
 * One run forked by {@link ContainerReactionBenchmark} inside a memory cgroup:
 * {@code ContainerReactionRun <megabytes-per-second> <trials>}. Each trial grows touched
 * native memory at the given rate in 1 MB steps until the guard goes CRITICAL (or the
 * signal passes 1.0), watching the container signal itself after every step from a
 * reading of its own, and prints
 * {@code TRIAL <crossed-ms> <critical-ms> <signal-at-critical> <limit-usage-at-critical>}:
 * when the signal first reached the critical threshold, when the guard went CRITICAL (both
 * from the start of the trial), the signal at that moment and the cgroup's working set
 * over its limit. Then it frees everything and waits for NORMAL.
 */
public final class ContainerReactionRun {

	private static final long MB = 1024 * 1024;

	private ContainerReactionRun() {
	}

	public static void main(String[] args) throws Exception {
		int rate = Integer.parseInt(args[0]);
		int trials = Integer.parseInt(args[1]);
		MemoryThresholds thresholds = MemoryThresholds.DEFAULTS;
		MemoryGuard guard = new MemoryGuard(new JvmMemoryProbe(thresholds, false), thresholds, Duration.ofSeconds(1));
		guard.start();
		ContainerMemory container = ContainerMemory.system();
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> "direct".equals(pool.getName()))
			.findFirst()
			.orElseThrow();
		long stepNanos = TimeUnit.SECONDS.toNanos(1) / rate;
		for (int trial = 0; trial < trials; trial++) {
			List<Long> held = new ArrayList<>();
			long start = System.nanoTime();
			long crossed = -1;
			long critical = -1;
			double signalAtCritical = Double.NaN;
			double usageAtCritical = Double.NaN;
			long next = start;
			while (critical < 0) {
				held.add(NativeMemory.touched(MB));
				ContainerUsage usage = container.read();
				MemoryUsage heap = memory.getHeapMemoryUsage();
				double signal = ContainerSignal.ratio(usage.workingSet(), usage.limit(), heap.getCommitted(),
						heap.getMax(), memory.getNonHeapMemoryUsage().getUsed() + direct.getMemoryUsed());
				long now = System.nanoTime();
				if (crossed < 0 && signal >= thresholds.containerCritical()) {
					crossed = now;
				}
				if (guard.pressure() == MemoryPressure.CRITICAL) {
					critical = now;
					signalAtCritical = signal;
					usageAtCritical = (double) usage.workingSet() / usage.limit();
				}
				else if (signal >= 1.0 && now - crossed > TimeUnit.SECONDS.toNanos(5)) {
					break;
				}
				next += stepNanos;
				long sleep = next - System.nanoTime();
				if (sleep > 0) {
					TimeUnit.NANOSECONDS.sleep(sleep);
				}
			}
			System.out.printf("TRIAL %d %d %.3f %.3f%n", millis(crossed, start), millis(critical, start),
					signalAtCritical, usageAtCritical);
			held.forEach(NativeMemory::free);
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
			while (guard.pressure() != MemoryPressure.NORMAL && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
		}
		guard.stop();
	}

	private static long millis(long at, long start) {
		return (at < 0) ? -1 : TimeUnit.NANOSECONDS.toMillis(at - start);
	}

}

package dev.memoryguard.test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.sun.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

import dev.memoryguard.Sizes;
import dev.memoryguard.job.ThreadAllocation;

/**
 * What every platform thread of the JVM allocated between two readings, from HotSpot's
 * per-thread counters. Where the JDK has {@code getTotalThreadAllocatedBytes} (Java 21,
 * and Java 17 from 17.0.11) the total also holds what threads that ended in between
 * allocated; elsewhere their counters are gone with them.
 */
final class AllThreadsAllocation {

	private static final int TOP = 3;

	private static final @Nullable ThreadMXBean threads = threadMXBean();

	private static final @Nullable MethodHandle totalAllocated = totalAllocatedHandle();

	private final ThreadMXBean bean;

	private final Map<Long, Long> before;

	private final long totalBefore;

	private AllThreadsAllocation(ThreadMXBean bean) {
		this.bean = bean;
		this.before = perThread(bean);
		this.totalBefore = total(bean);
	}

	/**
	 * Returns whether the JVM counts allocation per thread.
	 */
	static boolean isSupported() {
		return threads != null;
	}

	/**
	 * Returns whether threads that end are still counted.
	 */
	static boolean countsEndedThreads() {
		return totalAllocated != null;
	}

	/**
	 * Starts counting.
	 * @throws IllegalStateException when the JVM does not count allocation per thread
	 */
	static AllThreadsAllocation start() {
		ThreadMXBean bean = threads;
		if (bean == null) {
			throw new IllegalStateException("The JVM does not count allocation per thread");
		}
		return new AllThreadsAllocation(bean);
	}

	/**
	 * Returns what was allocated since {@link #start()}: the total and the threads that
	 * allocated most, for example {@code main 120.0 MB, pool-1-thread-1 50.1 MB}.
	 */
	Measured stop() {
		long totalAfter = total(this.bean);
		Map<Long, Long> after = perThread(this.bean);
		List<Map.Entry<Long, Long>> deltas = new ArrayList<>();
		long sum = 0;
		for (Map.Entry<Long, Long> entry : after.entrySet()) {
			long delta = entry.getValue() - this.before.getOrDefault(entry.getKey(), 0L);
			if (delta > 0) {
				deltas.add(Map.entry(entry.getKey(), delta));
				sum += delta;
			}
		}
		long total = (totalAfter >= 0 && this.totalBefore >= 0) ? totalAfter - this.totalBefore : sum;
		deltas.sort(Map.Entry.<Long, Long>comparingByValue(Comparator.reverseOrder()));
		List<Map.Entry<Long, Long>> top = deltas.subList(0, Math.min(TOP, deltas.size()));
		StringBuilder names = new StringBuilder();
		ThreadInfo[] infos = this.bean.getThreadInfo(top.stream().mapToLong(Map.Entry::getKey).toArray(), 0);
		for (int i = 0; i < top.size(); i++) {
			String name = (infos[i] != null) ? infos[i].getThreadName() : "thread #" + top.get(i).getKey();
			names.append((i > 0) ? ", " : "").append(name).append(' ').append(Sizes.format(top.get(i).getValue()));
		}
		if (total - sum > 0) {
			names.append((names.length() > 0) ? ", " : "")
				.append("threads that ended ")
				.append(Sizes.format(total - sum));
		}
		return new Measured(total, names.toString());
	}

	private static Map<Long, Long> perThread(ThreadMXBean bean) {
		long[] ids = bean.getAllThreadIds();
		long[] bytes = bean.getThreadAllocatedBytes(ids);
		Map<Long, Long> result = new HashMap<>(ids.length * 2);
		for (int i = 0; i < ids.length; i++) {
			if (bytes[i] >= 0) {
				result.put(ids[i], bytes[i]);
			}
		}
		return result;
	}

	private static long total(ThreadMXBean bean) {
		MethodHandle handle = totalAllocated;
		if (handle == null) {
			return -1;
		}
		try {
			return (long) handle.invokeExact(bean);
		}
		catch (Throwable ex) {
			return -1;
		}
	}

	private static @Nullable ThreadMXBean threadMXBean() {
		// reading once enables the counters where the JVM has them off
		ThreadAllocation.currentThreadAllocatedBytes();
		return (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean bean
				&& bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled()) ? bean : null;
	}

	private static @Nullable MethodHandle totalAllocatedHandle() {
		try {
			// Java 21, and Java 17 from 17.0.11; the project is compiled for 17.0.0
			return MethodHandles.publicLookup()
				.findVirtual(ThreadMXBean.class, "getTotalThreadAllocatedBytes", MethodType.methodType(long.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return null;
		}
	}

	/**
	 * What all threads allocated.
	 *
	 * @param bytes the bytes allocated
	 * @param top the threads that allocated most, with their figures
	 */
	record Measured(long bytes, String top) {
	}

}

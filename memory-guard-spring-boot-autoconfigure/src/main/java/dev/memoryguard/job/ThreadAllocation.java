package dev.memoryguard.job;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

/**
 * Bytes allocated by the current thread, from HotSpot's
 * {@code com.sun.management.ThreadMXBean}.
 */
public final class ThreadAllocation {

	private static final @Nullable ThreadMXBean threads = threadMXBean();

	private ThreadAllocation() {
	}

	/**
	 * Returns the bytes the current thread has allocated since it started.
	 * @return the allocated bytes, or {@code -1} when the JVM cannot tell
	 */
	public static long currentThreadAllocatedBytes() {
		return (threads != null) ? threads.getCurrentThreadAllocatedBytes() : -1;
	}

	/**
	 * Returns the bytes the current thread allocated since an earlier reading of
	 * {@link #currentThreadAllocatedBytes()}.
	 * @param before the earlier reading
	 * @return the allocated bytes, or {@code -1} when the JVM cannot tell
	 */
	public static long allocatedSince(long before) {
		long now = currentThreadAllocatedBytes();
		return (before >= 0 && now >= before) ? now - before : -1;
	}

	private static @Nullable ThreadMXBean threadMXBean() {
		try {
			if (ManagementFactory.getThreadMXBean() instanceof ThreadMXBean bean
					&& bean.isThreadAllocatedMemorySupported()) {
				if (!bean.isThreadAllocatedMemoryEnabled()) {
					bean.setThreadAllocatedMemoryEnabled(true);
				}
				return bean;
			}
		}
		catch (RuntimeException ex) {
			// not HotSpot or not permitted: allocation accounting reports -1
		}
		return null;
	}

}

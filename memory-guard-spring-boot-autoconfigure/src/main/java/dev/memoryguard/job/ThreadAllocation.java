package dev.memoryguard.job;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

/**
 * Bytes allocated by the current thread, from HotSpot's
 * {@code com.sun.management.ThreadMXBean}. Unknown ({@code -1}) on a virtual thread: the
 * JVM counts allocation per platform thread, and a virtual thread moves between carriers,
 * so neither reading would be its own.
 */
public final class ThreadAllocation {

	private static final @Nullable ThreadMXBean threads = threadMXBean();

	private static final @Nullable MethodHandle isVirtual = isVirtualHandle();

	private ThreadAllocation() {
	}

	/**
	 * Returns the bytes the current thread has allocated since it started.
	 * @return the allocated bytes, or {@code -1} when the JVM cannot tell (not HotSpot,
	 * or a virtual thread)
	 */
	public static long currentThreadAllocatedBytes() {
		if (threads == null || isVirtualThread()) {
			return -1;
		}
		return threads.getCurrentThreadAllocatedBytes();
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

	/**
	 * Returns whether the current thread is a virtual thread (Java 21+).
	 * @return whether it is virtual
	 */
	public static boolean isVirtualThread() {
		MethodHandle handle = isVirtual;
		if (handle == null) {
			return false;
		}
		try {
			return (boolean) handle.invokeExact(Thread.currentThread());
		}
		catch (Throwable ex) {
			return false;
		}
	}

	private static @Nullable MethodHandle isVirtualHandle() {
		try {
			// Thread.isVirtual() exists from Java 21; the project is compiled for 17
			return MethodHandles.publicLookup()
				.findVirtual(Thread.class, "isVirtual", MethodType.methodType(boolean.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return null;
		}
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

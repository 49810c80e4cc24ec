package dev.memoryguard.benchmarks;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;

/**
 * Native memory for the container benchmarks: allocated and touched, so that it is
 * resident and charged to the cgroup, and freed again.
 */
final class NativeMemory {

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
				.findVirtual(type, "setMemory", MethodType.methodType(void.class, long.class, long.class, byte.class))
				.bindTo(unsafe);
			free = lookup.findVirtual(type, "freeMemory", MethodType.methodType(void.class, long.class))
				.bindTo(unsafe);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private NativeMemory() {
	}

	static long touched(long bytes) {
		try {
			long address = (long) allocate.invokeExact(bytes);
			set.invokeExact(address, bytes, (byte) 1);
			return address;
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

	static void free(long address) {
		try {
			free.invokeExact(address);
		}
		catch (Throwable ex) {
			throw new IllegalStateException(ex);
		}
	}

}

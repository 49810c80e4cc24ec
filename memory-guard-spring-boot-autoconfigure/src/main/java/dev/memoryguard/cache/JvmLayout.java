package dev.memoryguard.cache;

import java.lang.management.ManagementFactory;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;

/**
 * The layout model of the running JVM: header, reference and alignment sizes, read once
 * from HotSpot's flags ({@code UseCompressedOops}, {@code UseCompressedClassPointers},
 * {@code UseCompactObjectHeaders}, {@code ObjectAlignmentInBytes}, {@code CompactStrings}).
 * Falls back to the 64-bit defaults (compressed oops and class pointers, 8-byte alignment)
 * when the flags cannot be read.
 *
 * @param objectHeader bytes of an object header
 * @param referenceSize bytes of a reference field or array slot
 * @param alignment object alignment in bytes
 * @param compactStrings whether Latin-1 strings use one byte per character
 */
record JvmLayout(int objectHeader, int referenceSize, int alignment, boolean compactStrings) {

	static final JvmLayout CURRENT = detect();

	static JvmLayout detect() {
		try {
			HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			if (hotSpot == null) {
				return defaults();
			}
			boolean compressedOops = flag(hotSpot, "UseCompressedOops", "true");
			boolean compressedClass = flag(hotSpot, "UseCompressedClassPointers", "true");
			boolean compactHeaders = flag(hotSpot, "UseCompactObjectHeaders", "false");
			boolean compactStrings = flag(hotSpot, "CompactStrings", "true");
			int alignment = Integer.parseInt(option(hotSpot, "ObjectAlignmentInBytes", "8"));
			int header = compactHeaders ? 8 : (compressedClass ? 12 : 16);
			return new JvmLayout(header, compressedOops ? 4 : 8, alignment, compactStrings);
		}
		catch (RuntimeException | LinkageError ex) {
			return defaults();
		}
	}

	private static JvmLayout defaults() {
		return new JvmLayout(12, 4, 8, true);
	}

	private static boolean flag(HotSpotDiagnosticMXBean hotSpot, String name, String fallback) {
		return Boolean.parseBoolean(option(hotSpot, name, fallback));
	}

	private static String option(HotSpotDiagnosticMXBean hotSpot, String name, String fallback) {
		try {
			VMOption option = hotSpot.getVMOption(name);
			return option.getValue();
		}
		catch (IllegalArgumentException ex) {
			// the flag does not exist on this JVM (UseCompactObjectHeaders before JDK 24)
			return fallback;
		}
	}

	/**
	 * Returns the size of a primitive or reference slot of the given type.
	 * @param type the field or component type
	 * @return its size in bytes
	 */
	int sizeOf(Class<?> type) {
		if (!type.isPrimitive()) {
			return this.referenceSize;
		}
		if (type == long.class || type == double.class) {
			return 8;
		}
		if (type == int.class || type == float.class) {
			return 4;
		}
		if (type == short.class || type == char.class) {
			return 2;
		}
		return 1;
	}

	/**
	 * Returns the shallow size of an instance whose fields (its own and inherited) take
	 * {@code fieldBytes}. HotSpot (since JDK 15) packs fields into the gaps left by the
	 * header and by superclasses, so the sum, aligned, is the instance size.
	 * @param fieldBytes the sum of the field sizes
	 * @return the instance size in bytes
	 */
	long instanceSize(long fieldBytes) {
		return align(this.objectHeader + fieldBytes);
	}

	/**
	 * Returns the size of an array.
	 * @param elementSize bytes per element
	 * @param length the number of elements
	 * @return the array size in bytes
	 */
	long arraySize(int elementSize, long length) {
		long base = this.objectHeader + 4L;
		if (elementSize == 8) {
			base = (base + 7) & ~7L;
		}
		return align(base + elementSize * length);
	}

	long referenceArraySize(long length) {
		return arraySize(this.referenceSize, length);
	}

	long align(long size) {
		long mask = this.alignment - 1L;
		return (size + mask) & ~mask;
	}

}

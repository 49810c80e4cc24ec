package dev.memoryguard.test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

import org.springframework.util.unit.DataSize;

import dev.memoryguard.Sizes;

/**
 * The budget in effect for one test method, read from the nearest {@link MemoryBudget}:
 * the method's, else its class's, else an enclosing class's.
 *
 * @param allocated most bytes the test may allocate, {@code -1} for no limit
 * @param retained most bytes the live heap may grow by, {@code -1} for no limit
 * @param threads whose allocation counts
 */
record Budget(long allocated, long retained, Threads threads) {

	private static final String[] UNITS = { "B", "KB", "MB", "GB", "TB" };

	/**
	 * Returns whether the test must run alone: its figures would count other tests' memory.
	 */
	boolean isolates() {
		return this.retained >= 0 || (this.allocated >= 0 && this.threads == Threads.ALL);
	}

	static Optional<MemoryBudget> find(Method method, Class<?> testClass, List<Class<?>> enclosing) {
		Optional<MemoryBudget> onMethod = AnnotationSupport.findAnnotation(method, MemoryBudget.class);
		return onMethod.isPresent() ? onMethod
				: AnnotationSupport.findAnnotation(testClass, MemoryBudget.class, enclosing);
	}

	/**
	 * Returns the budget an annotation declares.
	 * @throws ExtensionConfigurationException when a size cannot be read or none is given
	 */
	static Budget of(MemoryBudget annotation, String test) {
		long allocated = size("allocated", annotation.allocated(), test);
		long retained = size("retained", annotation.retained(), test);
		if (allocated < 0 && retained < 0) {
			throw new ExtensionConfigurationException("Invalid @MemoryBudget on " + test
					+ ": no budget given; set allocated (for example allocated = \"50MB\") or retained "
					+ "(for example retained = \"2MB\")");
		}
		return new Budget(allocated, retained, annotation.threads());
	}

	/**
	 * Returns whether an annotation, valid or not, asks for a test that runs alone. Used
	 * at discovery, where a bad size must not stop the whole run.
	 */
	static boolean isolates(@Nullable MemoryBudget annotation) {
		return annotation != null && (!annotation.retained().isBlank()
				|| (!annotation.allocated().isBlank() && annotation.threads() == Threads.ALL));
	}

	private static long size(String attribute, String value, String test) {
		if (value.isBlank()) {
			return -1;
		}
		try {
			long bytes = DataSize.parse(value.trim()).toBytes();
			if (bytes >= 0) {
				return bytes;
			}
		}
		catch (IllegalArgumentException ex) {
			// reported below with the attribute and the fix
		}
		throw new ExtensionConfigurationException("Invalid @MemoryBudget on " + test + ": " + attribute + " = \""
				+ value + "\" is not a size; write a number and a unit, such as \"512KB\", \"50MB\" or \"1GB\"");
	}

	/**
	 * Formats a budget the way it was most likely written: {@code 50 MB}, not {@code 50.0 MB}.
	 */
	static String format(long bytes) {
		int unit = 0;
		long value = bytes;
		while (unit < UNITS.length - 1 && value >= 1024 && value % 1024 == 0) {
			value /= 1024;
			unit++;
		}
		return (value < 1024 || unit == UNITS.length - 1) ? value + " " + UNITS[unit] : Sizes.format(bytes);
	}

}

package dev.memoryguard;

/**
 * Formats byte counts for log lines: {@code 512 B}, {@code 3.5 MB}, {@code 1.2 GB}.
 */
public final class Sizes {

	private static final String[] UNITS = { "B", "KB", "MB", "GB", "TB" };

	private Sizes() {
	}

	/**
	 * Returns a byte count in the largest unit that keeps it at or above 1.
	 * @param bytes the byte count, negative when unknown
	 * @return the formatted size, {@code unknown} for a negative count
	 */
	public static String format(long bytes) {
		if (bytes < 0) {
			return "unknown";
		}
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < UNITS.length - 1) {
			value /= 1024;
			unit++;
		}
		return (unit == 0) ? bytes + " B" : String.format("%.1f %s", value, UNITS[unit]);
	}

}

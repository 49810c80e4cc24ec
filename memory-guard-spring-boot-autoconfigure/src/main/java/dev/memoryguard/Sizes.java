package dev.memoryguard;

/**
 * Formats byte counts for log lines.
 */
final class Sizes {

	private static final String[] UNITS = { "B", "KB", "MB", "GB", "TB" };

	private Sizes() {
	}

	static String format(long bytes) {
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

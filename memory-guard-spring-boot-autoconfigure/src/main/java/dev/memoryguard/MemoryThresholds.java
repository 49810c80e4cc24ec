package dev.memoryguard;

/**
 * The fractions at which the guard changes level, with the hysteresis that keeps a
 * reading sitting on a threshold from flapping.
 *
 * @param warning live heap fraction of max heap at which WARNING starts
 * @param critical live heap fraction of max heap at which CRITICAL starts
 * @param recoveryMargin how far below its threshold a reading must fall to leave a level
 * @param containerWarning RSS fraction of the container limit at which WARNING starts
 * @param containerCritical RSS fraction of the container limit at which CRITICAL starts
 */
public record MemoryThresholds(double warning, double critical, double recoveryMargin, double containerWarning,
		double containerCritical) {

	/**
	 * The contract's defaults: 0.70 / 0.85 of the heap, 0.05 margin, 0.85 / 0.95 of the
	 * container limit.
	 */
	public static final MemoryThresholds DEFAULTS = new MemoryThresholds(0.70, 0.85, 0.05, 0.85, 0.95);

	/**
	 * Returns the level for a reading, given the level currently in force: the worse of
	 * the heap signal and the container signal.
	 * @param reading the reading
	 * @param current the level currently in force
	 * @return the new level
	 */
	public MemoryPressure levelFor(MemoryReading reading, MemoryPressure current) {
		MemoryPressure heap = level(reading.liveRatio(), this.warning, this.critical, current);
		double rssRatio = reading.rssRatio();
		if (Double.isNaN(rssRatio)) {
			return heap;
		}
		return MemoryPressure.worst(heap, level(rssRatio, this.containerWarning, this.containerCritical, current));
	}

	private MemoryPressure level(double ratio, double warningAt, double criticalAt, MemoryPressure current) {
		if (ratio >= criticalAt) {
			return MemoryPressure.CRITICAL;
		}
		if (current == MemoryPressure.CRITICAL && ratio >= criticalAt - this.recoveryMargin) {
			return MemoryPressure.CRITICAL;
		}
		if (ratio >= warningAt) {
			return MemoryPressure.WARNING;
		}
		if (current.isAtLeast(MemoryPressure.WARNING) && ratio >= warningAt - this.recoveryMargin) {
			return MemoryPressure.WARNING;
		}
		return MemoryPressure.NORMAL;
	}

}

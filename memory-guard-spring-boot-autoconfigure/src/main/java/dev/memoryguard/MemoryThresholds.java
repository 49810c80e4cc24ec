package dev.memoryguard;

/**
 * The fractions at which the guard changes level, with the hysteresis that keeps a
 * reading sitting on a threshold from flapping. The heap and the container are two
 * signals with a level each, and a hysteresis each: the guard's level is the worse of the
 * two.
 *
 * @param warning live heap fraction of max heap at which WARNING starts
 * @param critical live heap fraction of max heap at which CRITICAL starts
 * @param recoveryMargin how far below its threshold a reading must fall to leave a level
 * @param containerWarning container signal at which WARNING starts (see
 * {@link MemoryReading#containerRatio()})
 * @param containerCritical container signal at which CRITICAL starts
 */
public record MemoryThresholds(double warning, double critical, double recoveryMargin, double containerWarning,
		double containerCritical) {

	/**
	 * The contract's defaults: 0.70 / 0.85 of the heap, 0.05 margin, 0.85 / 0.95 for the
	 * container signal.
	 */
	public static final MemoryThresholds DEFAULTS = new MemoryThresholds(0.70, 0.85, 0.05, 0.85, 0.95);

	/**
	 * Share of the last 10 seconds with some task of the cgroup stalled on memory (PSI
	 * {@code some avg10}) at which the container signal is at least WARNING: the kernel is
	 * reclaiming hard, the early sign systemd-oomd and oomd act on.
	 */
	public static final double PRESSURE_STALL_WARNING = 0.20;

	/**
	 * Returns the level of the heap signal.
	 * @param liveRatio the live heap after GC as a fraction of max heap
	 * @param current the heap signal's level so far
	 * @return the heap signal's new level
	 */
	public MemoryPressure heapLevel(double liveRatio, MemoryPressure current) {
		return level(liveRatio, this.warning, this.critical, current);
	}

	/**
	 * Returns the level of the container signal: {@link MemoryReading#containerRatio()}
	 * against the container thresholds, at least WARNING when the signal against
	 * {@code memory.high} reaches the warning threshold or the cgroup's memory stall
	 * reaches {@link #PRESSURE_STALL_WARNING}.
	 * @param reading the reading
	 * @param current the container signal's level so far
	 * @return the container signal's new level, NORMAL outside a limited cgroup
	 */
	public MemoryPressure containerLevel(MemoryReading reading, MemoryPressure current) {
		double ratio = reading.containerRatio();
		MemoryPressure level = Double.isNaN(ratio) ? MemoryPressure.NORMAL
				: level(ratio, this.containerWarning, this.containerCritical, current);
		double high = reading.containerHighRatio();
		if (!Double.isNaN(high)) {
			level = MemoryPressure.worst(level,
					warningOnly(high, this.containerWarning, this.recoveryMargin, current));
		}
		double stall = reading.container().pressureStall();
		if (!Double.isNaN(stall)) {
			level = MemoryPressure.worst(level,
					warningOnly(stall, PRESSURE_STALL_WARNING, PRESSURE_STALL_WARNING / 2, current));
		}
		return level;
	}

	private static MemoryPressure warningOnly(double value, double warningAt, double margin,
			MemoryPressure current) {
		boolean stays = current.isAtLeast(MemoryPressure.WARNING) && value >= warningAt - margin;
		return (value >= warningAt || stays) ? MemoryPressure.WARNING : MemoryPressure.NORMAL;
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

package dev.memoryguard;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.boot.convert.DurationStyle;

/**
 * Formats durations for log lines and messages that name a property's value, the way
 * users write it in {@code application.yml}: {@code 10s}, {@code 250ms}.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Returns a duration in whole seconds where it has no fraction of a second, else in
	 * milliseconds.
	 * @param duration the duration
	 * @return the formatted duration
	 */
	public static String format(Duration duration) {
		// "1s" rather than "1000ms"
		boolean wholeSeconds = duration.toNanos() % 1_000_000_000L == 0;
		return wholeSeconds ? DurationStyle.SIMPLE.print(duration, ChronoUnit.SECONDS)
				: DurationStyle.SIMPLE.print(duration);
	}

}

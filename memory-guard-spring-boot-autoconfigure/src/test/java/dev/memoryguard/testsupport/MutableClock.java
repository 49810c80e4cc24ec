package dev.memoryguard.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A {@link Clock} that tests set and advance by hand.
 */
public final class MutableClock extends Clock {

	private volatile Instant instant;

	/**
	 * Creates a clock at 2026-11-23T10:00:00Z.
	 */
	public MutableClock() {
		this(Instant.parse("2026-11-23T10:00:00Z"));
	}

	/**
	 * Creates a clock at the given instant.
	 * @param instant the time it shows
	 */
	public MutableClock(Instant instant) {
		this.instant = instant;
	}

	public void set(Instant instant) {
		this.instant = instant;
	}

	public void advance(Duration duration) {
		this.instant = this.instant.plus(duration);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		return this;
	}

	@Override
	public Instant instant() {
		return this.instant;
	}

}

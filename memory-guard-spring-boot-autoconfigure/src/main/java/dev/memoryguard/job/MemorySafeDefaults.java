package dev.memoryguard.job;

import java.time.Duration;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.annotation.OnPressure;

/**
 * Values a {@link dev.memoryguard.annotation.MemorySafe @MemorySafe} attribute takes when
 * the annotation leaves it at its default, normally {@code memory-guard.jobs.*}.
 *
 * @param onPressure the policy, never {@link OnPressure#DEFAULT}
 * @param threshold the level at which jobs yield, WARNING or CRITICAL
 * @param deferDelay how long a deferred run waits before re-checking
 * @param maxDeferrals how often one call may be deferred
 */
public record MemorySafeDefaults(OnPressure onPressure, MemoryPressure threshold, Duration deferDelay,
		int maxDeferrals) {

	/**
	 * Defaults of an application that configures nothing: SKIP at CRITICAL, deferrals
	 * re-checked every 30 seconds, at most 3 times.
	 */
	public static final MemorySafeDefaults STANDARD = new MemorySafeDefaults(OnPressure.SKIP, MemoryPressure.CRITICAL,
			Duration.ofSeconds(30), 3);

}

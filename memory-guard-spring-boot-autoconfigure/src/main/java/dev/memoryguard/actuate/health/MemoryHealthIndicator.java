package dev.memoryguard.actuate.health;

import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemorySnapshot;

/**
 * Health indicator of the {@link MemoryGuard}: {@code UP} at NORMAL and WARNING,
 * {@code OUT_OF_SERVICE} at CRITICAL, with the level of each signal (heap, and container
 * where a memory limit exists), the live heap ratio and the thresholds as details;
 * {@code DOWN} when the guard has {@link MemoryGuard#isStalled() stopped reading}.
 * <p>
 * Memory pressure is a reason to stop routing traffic to an instance, not to restart it:
 * point liveness probes at Boot's {@code liveness} health group, never at the aggregate
 * {@code /actuator/health} this indicator contributes to.
 */
public class MemoryHealthIndicator extends AbstractHealthIndicator {

	private final MemoryGuard guard;

	/**
	 * Creates a new indicator.
	 * @param guard the guard whose level is reported
	 */
	public MemoryHealthIndicator(MemoryGuard guard) {
		super("Memory health check failed");
		this.guard = guard;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		MemorySnapshot snapshot = this.guard.snapshot();
		if (this.guard.isStalled()) {
			// a level that is no longer read cannot be trusted either way
			builder.down().withDetail("readings", "stopped since " + snapshot.timestamp());
		}
		else if (snapshot.pressure() == MemoryPressure.CRITICAL) {
			builder.outOfService();
		}
		else {
			builder.up();
		}
		builder.withDetail("level", snapshot.pressure())
			.withDetail("heap", snapshot.heapPressure())
			.withDetail("liveRatio", snapshot.liveRatio())
			.withDetail("usedRatio", snapshot.usedRatio())
			.withDetail("thresholds",
					Map.of("warning", snapshot.warningThreshold(), "critical", snapshot.criticalThreshold()));
		double container = snapshot.reading().containerRatio();
		if (!Double.isNaN(container)) {
			builder.withDetail("container", snapshot.containerPressure()).withDetail("containerRatio", container);
		}
	}

}

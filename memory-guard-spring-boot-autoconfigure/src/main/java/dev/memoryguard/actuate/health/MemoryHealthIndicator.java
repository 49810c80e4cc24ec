package dev.memoryguard.actuate.health;

import java.util.Map;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemorySnapshot;

/**
 * Health indicator of the {@link MemoryGuard}: {@code UP} at NORMAL and WARNING,
 * {@code OUT_OF_SERVICE} at CRITICAL, with the level, the live heap ratio and the
 * thresholds as details.
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
		if (snapshot.pressure() == MemoryPressure.CRITICAL) {
			builder.outOfService();
		}
		else {
			builder.up();
		}
		builder.withDetail("level", snapshot.pressure())
			.withDetail("liveRatio", snapshot.liveRatio())
			.withDetail("usedRatio", snapshot.usedRatio())
			.withDetail("thresholds",
					Map.of("warning", snapshot.warningThreshold(), "critical", snapshot.criticalThreshold()));
	}

}

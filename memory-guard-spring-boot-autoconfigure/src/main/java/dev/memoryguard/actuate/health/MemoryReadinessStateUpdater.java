package dev.memoryguard.actuate.health;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;

import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.MemoryPressureListener;

/**
 * Moves the application's readiness to {@link ReadinessState#REFUSING_TRAFFIC} while the
 * {@link MemoryGuard} is CRITICAL and back to {@link ReadinessState#ACCEPTING_TRAFFIC}
 * when it recovers, so that a load balancer or Kubernetes stops routing requests to an
 * instance that is about to run out of memory. The liveness state is never touched.
 * <p>
 * Readiness is only restored if this updater refused it and nothing else changed it
 * since. An application that becomes ready while memory is CRITICAL is refused at once.
 */
public class MemoryReadinessStateUpdater
		implements MemoryPressureListener, ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

	private static final Logger logger = LoggerFactory.getLogger(MemoryReadinessStateUpdater.class);

	private final MemoryGuard guard;

	private final ApplicationAvailability availability;

	private final ApplicationEventPublisher publisher;

	private volatile boolean refused;

	/**
	 * Creates a new updater. It acts once it is added as a listener to the guard.
	 * @param guard the guard whose level drives readiness
	 * @param availability the application's availability
	 * @param publisher where availability changes are published
	 */
	public MemoryReadinessStateUpdater(MemoryGuard guard, ApplicationAvailability availability,
			ApplicationEventPublisher publisher) {
		this.guard = guard;
		this.availability = availability;
		this.publisher = publisher;
	}

	@Override
	public void onPressureChanged(MemoryPressureChangedEvent event) {
		if (event.current() == MemoryPressure.CRITICAL) {
			refuse();
		}
		else if (event.previous() == MemoryPressure.CRITICAL) {
			restore();
		}
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
		if (event.getSource() != this) {
			if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC
					&& this.guard.pressure() == MemoryPressure.CRITICAL) {
				refuse();
			}
			else {
				// someone else decided: do not undo it on recovery
				this.refused = false;
			}
		}
	}

	private synchronized void refuse() {
		if (this.availability.getReadinessState() != ReadinessState.REFUSING_TRAFFIC) {
			logger.warn("Memory pressure CRITICAL: readiness set to REFUSING_TRAFFIC");
			AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
			this.refused = true;
		}
	}

	private synchronized void restore() {
		if (this.refused && this.availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC) {
			logger.info("Memory pressure {}: readiness set back to ACCEPTING_TRAFFIC", this.guard.pressure());
			AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
		}
		this.refused = false;
	}

}

package dev.memoryguard.autoconfigure;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import dev.memoryguard.leak.LeakMonitor;
import dev.memoryguard.leak.LeakReport;

/**
 * Binds {@code memory.guard.leak.suspected} (0 or 1) and {@code memory.guard.heap.exhaustion}
 * (seconds until the live heap would reach max heap, {@code NaN} when it is not rising) to
 * a {@link LeakMonitor}.
 */
class LeakMeters implements MeterBinder {

	private final LeakMonitor monitor;

	LeakMeters(LeakMonitor monitor) {
		this.monitor = monitor;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("memory.guard.leak.suspected", this.monitor, (monitor) -> monitor.report().suspected() ? 1 : 0)
			.description("Whether a memory leak is suspected (1) or not (0)")
			.register(registry);
		Gauge.builder("memory.guard.heap.exhaustion", this.monitor, LeakMeters::secondsToExhaustion)
			.description("Time until the live heap would reach max heap at the current trend; NaN when not rising")
			.baseUnit("seconds")
			.register(registry);
	}

	private static double secondsToExhaustion(LeakMonitor monitor) {
		LeakReport report = monitor.report();
		return (report.exhaustionForecast() != null) ? report.exhaustionForecast().toMillis() / 1000.0 : Double.NaN;
	}

}

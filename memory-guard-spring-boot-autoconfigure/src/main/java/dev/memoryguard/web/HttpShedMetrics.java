package dev.memoryguard.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Binds the {@code memory.guard.http.shed} counter
 * [{@code memory_guard_http_shed_total}]: requests refused with 503 because memory was
 * short, tagged {@code source} = {@code admission} | {@code handler}.
 */
public class HttpShedMetrics implements MeterBinder {

	/**
	 * The meter name.
	 */
	public static final String NAME = "memory.guard.http.shed";

	private final HttpShedding shedding;

	/**
	 * Creates a new binder.
	 * @param shedding the refusal counts
	 */
	public HttpShedMetrics(HttpShedding shedding) {
		this.shedding = shedding;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (ShedSource source : ShedSource.values()) {
			FunctionCounter.builder(NAME, this.shedding, (shedding) -> shedding.shed(source))
				.tag("source", source.tag())
				.description("Requests refused with 503 because memory was short")
				.register(registry);
		}
	}

}

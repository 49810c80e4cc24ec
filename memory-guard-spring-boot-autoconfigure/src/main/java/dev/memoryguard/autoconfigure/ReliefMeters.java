package dev.memoryguard.autoconfigure;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;

import dev.memoryguard.relief.ReliefReport;

/**
 * Counts relief runs ({@code memory.guard.relief}) and the bytes their actions reported
 * freeing ({@code memory.guard.relief.freed}) from the published {@link ReliefReport}s.
 */
class ReliefMeters implements ApplicationListener<PayloadApplicationEvent<ReliefReport>> {

	private final Counter runs;

	private final Counter freed;

	ReliefMeters(MeterRegistry registry) {
		this.runs = Counter.builder("memory.guard.relief").description("Memory relief runs").register(registry);
		this.freed = Counter.builder("memory.guard.relief.freed")
			.description("Bytes memory relief actions reported freeing")
			.baseUnit("bytes")
			.register(registry);
	}

	@Override
	public void onApplicationEvent(PayloadApplicationEvent<ReliefReport> event) {
		this.runs.increment();
		this.freed.increment(event.getPayload().freed());
	}

}

package dev.memoryguard.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

import dev.memoryguard.actuate.endpoint.MemoryDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryEndpoint;
import dev.memoryguard.actuate.history.HistoryPoint;

/**
 * Hints for what {@code /actuator/memory} serializes: every response record, bound for
 * Jackson the way Spring Boot binds its own endpoints' responses. The section operation
 * returns {@code Object}, so its records (and the history points) cannot be found from
 * the operations' signatures: each is listed here.
 */
class MemoryEndpointRuntimeHints implements RuntimeHintsRegistrar {

	/**
	 * Every type the endpoint writes as JSON. A new section's record is one more line.
	 */
	static final List<Class<?>> RESPONSE_TYPES = List.of(MemoryDescriptor.class,
			MemoryDescriptor.ThresholdsDescriptor.class, MemoryDescriptor.HeapDescriptor.class,
			MemoryDescriptor.NonHeapDescriptor.class, MemoryDescriptor.DirectBuffersDescriptor.class,
			MemoryDescriptor.ProcessDescriptor.class, MemoryDescriptor.CgroupDescriptor.class,
			MemoryDescriptor.GcDescriptor.class, MemoryDescriptor.CacheDescriptor.class,
			MemoryDescriptor.JobDescriptor.class, MemoryDescriptor.LeakDescriptor.class,
			MemoryDescriptor.GcSelfDescriptor.class, MemoryDescriptor.HttpDescriptor.class,
			MemoryEndpoint.ReliefDescriptor.class,
			MemoryEndpoint.ActionDescriptor.class, MemoryEndpoint.CacheClearedDescriptor.class, HistoryPoint.class);

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindings.registerReflectionHints(hints.reflection(), RESPONSE_TYPES.toArray(new Class<?>[0]));
	}

}

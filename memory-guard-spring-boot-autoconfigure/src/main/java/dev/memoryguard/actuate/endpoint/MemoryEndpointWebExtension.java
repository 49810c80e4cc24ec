package dev.memoryguard.actuate.endpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

import dev.memoryguard.actuate.endpoint.MemoryEndpoint.CacheClearedDescriptor;
import dev.memoryguard.actuate.endpoint.MemoryEndpoint.ReliefDescriptor;

/**
 * {@link EndpointWebExtension @EndpointWebExtension} for the {@link MemoryEndpoint}: an
 * unknown write operation or cache answers 404 instead of an empty 204.
 */
@EndpointWebExtension(endpoint = MemoryEndpoint.class)
public class MemoryEndpointWebExtension {

	private final MemoryEndpoint delegate;

	/**
	 * Creates a new extension.
	 * @param delegate the endpoint
	 */
	public MemoryEndpointWebExtension(MemoryEndpoint delegate) {
		this.delegate = delegate;
	}

	/**
	 * Runs relief: {@code POST /actuator/memory/relieve}.
	 * @param operation the operation, {@value MemoryEndpoint#RELIEVE}
	 * @return what relief freed, or a 404 for any other operation
	 */
	@WriteOperation
	public WebEndpointResponse<ReliefDescriptor> run(@Selector String operation) {
		return found(this.delegate.run(operation));
	}

	/**
	 * Empties one guarded cache: {@code DELETE /actuator/memory/caches/{name}}.
	 * @param section the section, {@value MemoryEndpoint#CACHES}
	 * @param name the cache name
	 * @return the bytes freed, or a 404 when no guarded cache has that name
	 */
	@DeleteOperation
	public WebEndpointResponse<CacheClearedDescriptor> clear(@Selector String section, @Selector String name) {
		return found(this.delegate.clear(section, name));
	}

	private static <T> WebEndpointResponse<T> found(@Nullable T body) {
		return (body != null) ? new WebEndpointResponse<>(body)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

}

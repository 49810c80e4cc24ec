package dev.memoryguard.cache;

import javax.cache.Cache;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.JCacheMetrics;

/**
 * Binds Micrometer's JCache meters. Loaded only for JCache caches, so that the meter
 * binder needs no JCache API on the class path.
 */
final class JCacheMeters {

	private JCacheMeters() {
	}

	@SuppressWarnings("unchecked")
	static void bind(MeterRegistry registry, Object nativeCache, Tags tags) {
		JCacheMetrics.monitor(registry, (Cache<Object, Object>) nativeCache, tags);
	}

}

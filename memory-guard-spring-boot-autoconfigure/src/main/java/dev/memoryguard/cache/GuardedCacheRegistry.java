package dev.memoryguard.cache;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The caches and bounded maps the guard watches over, as seen by the actuator endpoint
 * and the metrics.
 */
public interface GuardedCacheRegistry {

	/**
	 * Returns a report of every guarded cache, by name.
	 * @return cache name to report, sorted by name
	 */
	Map<String, CacheReport> reports();

	/**
	 * Empties one guarded cache.
	 * @param name the cache name
	 * @return the estimated bytes freed, or empty when no guarded cache has that name
	 */
	OptionalLong clear(String name);

}

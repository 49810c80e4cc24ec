package dev.memoryguard.actuate.endpoint;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.memoryguard.cache.CacheKind;
import dev.memoryguard.cache.CacheReport;
import dev.memoryguard.cache.GuardedCacheRegistry;

/**
 * A {@link GuardedCacheRegistry} over plain maps, standing in for the guarded caches in
 * endpoint tests: it holds real keys and values so that tests can prove none of them
 * leaks into the endpoint's output.
 */
class InMemoryCacheRegistry implements GuardedCacheRegistry {

	private final Map<String, Map<String, String>> caches = new ConcurrentHashMap<>();

	void put(String cache, String key, String value) {
		this.caches.computeIfAbsent(cache, (name) -> new ConcurrentHashMap<>()).put(key, value);
	}

	int size(String cache) {
		return this.caches.get(cache).size();
	}

	@Override
	public Map<String, CacheReport> reports() {
		Map<String, CacheReport> reports = new TreeMap<>();
		this.caches.forEach((name, entries) -> reports.put(name,
				new CacheReport("cacheManager", CacheKind.CAFFEINE, (long) entries.size(), weight(entries), 100L, null, 0.5, 3L)));
		return reports;
	}

	@Override
	public OptionalLong clear(String name) {
		Map<String, String> entries = this.caches.get(name);
		if (entries == null) {
			return OptionalLong.empty();
		}
		long freed = weight(entries);
		entries.clear();
		return OptionalLong.of(freed);
	}

	private static long weight(Map<String, String> entries) {
		return entries.entrySet()
			.stream()
			.mapToLong((entry) -> entry.getKey().getBytes(StandardCharsets.UTF_8).length
					+ entry.getValue().getBytes(StandardCharsets.UTF_8).length)
			.sum();
	}

}

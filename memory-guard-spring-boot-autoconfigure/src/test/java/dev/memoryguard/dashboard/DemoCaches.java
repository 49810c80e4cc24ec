package dev.memoryguard.dashboard;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.memoryguard.cache.CacheKind;
import dev.memoryguard.cache.CacheReport;
import dev.memoryguard.cache.GuardedCacheRegistry;

/**
 * Plain maps of byte arrays reported as guarded caches, so that the dashboard's cache
 * table has rows in the screenshot test.
 */
class DemoCaches implements GuardedCacheRegistry {

	private final Map<String, DemoCache> caches = new ConcurrentHashMap<>();

	DemoCache cache(String name, Long maxEntries, Long maxSize) {
		return this.caches.computeIfAbsent(name, (key) -> new DemoCache(maxEntries, maxSize));
	}

	@Override
	public Map<String, CacheReport> reports() {
		Map<String, CacheReport> reports = new TreeMap<>();
		this.caches.forEach((name, cache) -> reports.put(name, cache.report()));
		return reports;
	}

	@Override
	public OptionalLong clear(String name) {
		DemoCache cache = this.caches.get(name);
		return (cache != null) ? OptionalLong.of(cache.clear()) : OptionalLong.empty();
	}

	static final class DemoCache {

		private final Map<Integer, byte[]> entries = new ConcurrentHashMap<>();

		private final Long maxEntries;

		private final Long maxSize;

		private final AtomicLong hits = new AtomicLong();

		private final AtomicLong requests = new AtomicLong();

		private final AtomicLong evictions = new AtomicLong();

		DemoCache(Long maxEntries, Long maxSize) {
			this.maxEntries = maxEntries;
			this.maxSize = maxSize;
		}

		byte[] get(int key, int size) {
			this.requests.incrementAndGet();
			byte[] value = this.entries.get(key);
			if (value != null) {
				this.hits.incrementAndGet();
				return value;
			}
			if (this.maxEntries != null && this.entries.size() >= this.maxEntries) {
				this.entries.remove(this.entries.keySet().iterator().next());
				this.evictions.incrementAndGet();
			}
			value = new byte[size];
			this.entries.put(key, value);
			return value;
		}

		long clear() {
			long freed = weight();
			this.entries.clear();
			return freed;
		}

		private long weight() {
			return this.entries.values().stream().mapToLong((value) -> value.length).sum();
		}

		CacheReport report() {
			long requests = this.requests.get();
			return new CacheReport("cacheManager", CacheKind.CAFFEINE, (long) this.entries.size(), weight(),
					this.maxEntries, this.maxSize, (requests > 0) ? (double) this.hits.get() / requests : null,
					this.evictions.get());
		}

	}

}

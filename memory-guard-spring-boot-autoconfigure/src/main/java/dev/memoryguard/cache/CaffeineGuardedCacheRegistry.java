package dev.memoryguard.cache;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Weigher;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.Assert;
import org.springframework.util.PatternMatchUtils;

import dev.memoryguard.MemoryPressure;

/**
 * The {@link GuardedCacheRegistry}: builds guarded Caffeine caches and bounded maps from
 * {@link CacheBounds}, adopts the in-heap caches of every {@link CacheKind} built
 * elsewhere, and shrinks, empties and restores them all as memory pressure changes.
 * <p>
 * A cache bounded in bytes is weighed by an {@link ObjectSizeEstimator} (or by a
 * {@link Weigher} given for its name); one bounded only in entries, or not at all, is
 * weighed by a sample of its entries when reported. At {@link MemoryPressure#WARNING}
 * every bound shrinks to a fraction of itself, on entering {@link MemoryPressure#CRITICAL}
 * every cache is emptied (when clearing is on) and keeps the shrunk bound, and back at
 * {@link MemoryPressure#NORMAL} the bounds are restored. Excluded caches are reported
 * but neither shrunk nor emptied by pressure or relief.
 */
public class CaffeineGuardedCacheRegistry implements GuardedCacheRegistry {

	private static final Logger logger = LoggerFactory.getLogger(CaffeineGuardedCacheRegistry.class);

	private final ObjectSizeEstimator estimator;

	private final Function<String, @Nullable Weigher<Object, Object>> weighers;

	private final double shrinkTo;

	private final boolean clearOnCritical;

	private final String[] excluded;

	private final ConcurrentMap<String, GuardedCache> caches = new ConcurrentHashMap<>();

	private final CopyOnWriteArrayList<RegistrationListener> listeners = new CopyOnWriteArrayList<>();

	private final CopyOnWriteArrayList<Runnable> discoveries = new CopyOnWriteArrayList<>();

	private final Object pressureLock = new Object();

	private volatile boolean shrunk;

	/**
	 * Creates a registry that weighs with the shared estimator, shrinks caches to half
	 * their bound and empties them on CRITICAL.
	 */
	public CaffeineGuardedCacheRegistry() {
		this(ObjectSizeEstimator.shared(), (name) -> null, 0.5, true);
	}

	/**
	 * Creates a registry.
	 * @param estimator the estimator that weighs entries
	 * @param weighers the weigher to use for a cache name instead of the estimator, or
	 * {@code null} for none
	 * @param shrinkTo fraction of its bound every cache shrinks to at WARNING, in (0, 1]
	 * @param clearOnCritical whether caches are emptied on entering CRITICAL
	 */
	public CaffeineGuardedCacheRegistry(ObjectSizeEstimator estimator,
			Function<String, @Nullable Weigher<Object, Object>> weighers, double shrinkTo, boolean clearOnCritical) {
		this(estimator, weighers, shrinkTo, clearOnCritical, List.of());
	}

	/**
	 * Creates a registry that leaves some caches alone under pressure.
	 * @param estimator the estimator that weighs entries
	 * @param weighers the weigher to use for a cache name instead of the estimator, or
	 * {@code null} for none
	 * @param shrinkTo fraction of its bound every cache shrinks to at WARNING, in (0, 1]
	 * @param clearOnCritical whether caches are emptied on entering CRITICAL
	 * @param excluded names of the caches that pressure and relief never shrink or empty,
	 * {@code *} matching any characters
	 */
	public CaffeineGuardedCacheRegistry(ObjectSizeEstimator estimator,
			Function<String, @Nullable Weigher<Object, Object>> weighers, double shrinkTo, boolean clearOnCritical,
			Collection<String> excluded) {
		Assert.isTrue(shrinkTo > 0 && shrinkTo <= 1, "shrinkTo must be in (0, 1]");
		this.estimator = estimator;
		this.weighers = weighers;
		this.shrinkTo = shrinkTo;
		this.clearOnCritical = clearOnCritical;
		this.excluded = excluded.toArray(String[]::new);
	}

	/**
	 * Returns whether pressure and relief leave a cache alone.
	 * @param name the cache name
	 * @return whether the name matches one of the excluded patterns
	 */
	public boolean isExcluded(String name) {
		return PatternMatchUtils.simpleMatch(this.excluded, name);
	}

	/**
	 * Returns the guarded cache of that name, building it with {@code bounds} the first
	 * time. Statistics are recorded.
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the cache name
	 * @param bounds its bounds
	 * @return the cache
	 * @throws IllegalStateException when a cache of that name exists with other bounds
	 */
	@SuppressWarnings("unchecked")
	public <K, V> Cache<K, V> cache(String name, CacheBounds bounds) {
		GuardedCache guarded = this.caches.get(name);
		if (guarded == null) {
			guarded = register(new CaffeineGuardedCache(name, build(name, bounds), bounds, null,
					weighsBytes(name, bounds), this.estimator));
		}
		Assert.state(guarded instanceof CaffeineGuardedCache caffeine && bounds.equals(caffeine.bounds()),
				() -> "Guarded cache '" + name + "' already exists with other bounds: " + this.caches.get(name).bounds());
		return (Cache<K, V>) ((CaffeineGuardedCache) guarded).cache();
	}

	/**
	 * Returns the guarded cache of that name as a bounded {@link ConcurrentMap}: the
	 * bounded "global dictionary".
	 * @param <K> the key type
	 * @param <V> the value type
	 * @param name the cache name
	 * @param bounds its bounds
	 * @return a view of the cache as a map
	 * @throws IllegalStateException when a cache of that name exists with other bounds
	 */
	public <K, V> ConcurrentMap<K, V> map(String name, CacheBounds bounds) {
		return this.<K, V>cache(name, bounds).asMap();
	}

	/**
	 * Builds a guarded cache for a cache manager and registers it.
	 * @param name the cache name
	 * @param bounds its bounds
	 * @param cacheManager the name of the cache manager bean that holds it
	 * @return the cache
	 */
	public Cache<Object, Object> cacheFor(String name, CacheBounds bounds, String cacheManager) {
		Cache<Object, Object> cache = build(name, bounds);
		register(new CaffeineGuardedCache(name, cache, bounds, cacheManager, weighsBytes(name, bounds),
				this.estimator));
		return cache;
	}

	/**
	 * Guards a Caffeine cache built elsewhere (such as one of a user's
	 * {@code CaffeineCacheManager}): it is reported, emptied on CRITICAL and, when it has a
	 * bound, shrunk at WARNING. A name already guarded is left as it is.
	 * @param name the cache name
	 * @param cache the cache
	 * @param cacheManager the name of the cache manager bean that holds it, or {@code null}
	 * @return whether the cache was adopted
	 */
	public boolean adopt(String name, Cache<?, ?> cache, @Nullable String cacheManager) {
		return adopt(new CaffeineGuardedCache(name, cache, null, cacheManager, false, this.estimator));
	}

	/**
	 * Guards a cache built elsewhere, of any kind. A name already guarded is left as it is.
	 * @param guarded the cache
	 * @return whether the cache was adopted
	 */
	boolean adopt(GuardedCache guarded) {
		if (this.caches.containsKey(guarded.name())) {
			return false;
		}
		return register(guarded) == guarded;
	}

	/**
	 * Returns the guarded cache of that name.
	 * @param name the cache name
	 * @return the cache, or {@code null} when no guarded cache has that name
	 */
	@Nullable GuardedCache guarded(String name) {
		return this.caches.get(name);
	}

	ObjectSizeEstimator estimator() {
		return this.estimator;
	}

	private GuardedCache register(GuardedCache guarded) {
		GuardedCache existing = this.caches.putIfAbsent(guarded.name(), guarded);
		if (existing != null) {
			return existing;
		}
		synchronized (this.pressureLock) {
			if (this.shrunk && !isExcluded(guarded.name())) {
				guarded.shrink(this.shrinkTo);
			}
		}
		for (RegistrationListener listener : this.listeners) {
			listener.registered(guarded.name(), guarded.kind(), guarded.nativeCache(), guarded.cacheManager());
		}
		return guarded;
	}

	private Cache<Object, Object> build(String name, CacheBounds bounds) {
		Caffeine<Object, Object> builder = Caffeine.newBuilder().recordStats();
		if (bounds.maxSize() != null) {
			long maxSize = bounds.maxSize().toBytes();
			Weigher<Object, Object> weigher = this.weighers.apply(name);
			if (weigher == null) {
				weigher = new BytesWeigher(this.estimator);
			}
			if (bounds.maxEntries() != null) {
				// every entry weighs at least maxSize / maxEntries: the weight bound then holds both
				int floor = (int) Math.min(Integer.MAX_VALUE, (maxSize + bounds.maxEntries() - 1) / bounds.maxEntries());
				Weigher<Object, Object> weighed = weigher;
				weigher = (key, value) -> Math.max(floor, weighed.weigh(key, value));
			}
			builder.maximumWeight(maxSize).weigher(weigher);
		}
		else {
			builder.maximumSize(bounds.maxEntries());
		}
		if (bounds.expireAfterWrite() != null) {
			builder.expireAfterWrite(bounds.expireAfterWrite());
		}
		if (bounds.expireAfterAccess() != null) {
			builder.expireAfterAccess(bounds.expireAfterAccess());
		}
		return builder.build();
	}

	private boolean weighsBytes(String name, CacheBounds bounds) {
		// a floor inflates the weight of small entries: then weights are not bytes
		return bounds.maxSize() != null && bounds.maxEntries() == null;
	}

	/**
	 * Adds a task run before the caches are reported, shrunk, emptied or relieved, to
	 * register caches created since (by a cache manager that creates them on first use).
	 * A task that fails is logged and does not stop the others.
	 * @param discovery the task
	 */
	public void addDiscovery(Runnable discovery) {
		this.discoveries.add(discovery);
	}

	private void discover() {
		for (Runnable discovery : this.discoveries) {
			try {
				discovery.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Looking for new caches failed", ex);
			}
		}
	}

	/**
	 * Adds a listener told of every cache registered, those already registered first.
	 * @param listener the listener
	 */
	public void addRegistrationListener(RegistrationListener listener) {
		this.listeners.add(listener);
		this.caches.values()
			.forEach((guarded) -> listener.registered(guarded.name(), guarded.kind(), guarded.nativeCache(),
					guarded.cacheManager()));
	}

	@Override
	public Map<String, CacheReport> reports() {
		discover();
		Map<String, CacheReport> reports = new TreeMap<>();
		this.caches.forEach((name, guarded) -> reports.put(name, guarded.report()));
		return reports;
	}

	/**
	 * Returns the report of one guarded cache.
	 * @param name the cache name
	 * @return its report, or {@code null} when no guarded cache has that name
	 */
	public @Nullable CacheReport report(String name) {
		discover();
		GuardedCache guarded = this.caches.get(name);
		return (guarded != null) ? guarded.report() : null;
	}

	/**
	 * Returns the estimated bytes held by one guarded cache.
	 * @param name the cache name
	 * @return the estimated bytes, or {@code -1} when no guarded cache has that name or
	 * its bytes cannot be estimated
	 */
	public long weightedSize(String name) {
		GuardedCache guarded = this.caches.get(name);
		return (guarded != null) ? guarded.weightedSize() : -1;
	}

	/**
	 * Returns whether the bytes held by one guarded cache can be estimated: not for a
	 * JCache cache of a provider other than Caffeine's.
	 * @param name the cache name
	 * @return whether a guarded cache has that name and can be weighed
	 */
	public boolean weighs(String name) {
		GuardedCache guarded = this.caches.get(name);
		return guarded != null && guarded.weighs();
	}

	/**
	 * Returns the bound in bytes of one guarded cache in effect now.
	 * @param name the cache name
	 * @return the bound, or {@code -1} when it has none or no guarded cache has that name
	 */
	public long maxSize(String name) {
		GuardedCache guarded = this.caches.get(name);
		Long maxSize = (guarded != null) ? guarded.maxSize() : null;
		return (maxSize != null) ? maxSize : -1;
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Asked by name, this empties an excluded cache too.
	 */
	@Override
	public OptionalLong clear(String name) {
		discover();
		GuardedCache guarded = this.caches.get(name);
		if (guarded == null) {
			return OptionalLong.empty();
		}
		long freed = guarded.clear();
		logger.info("Guarded cache '{}' emptied: freed ~{} bytes", name, freed);
		return OptionalLong.of(freed);
	}

	/**
	 * Applies a pressure level: shrinks every cache at WARNING, also empties them on
	 * CRITICAL when clearing is on, and restores their bounds at NORMAL. Applying the
	 * same level twice does nothing the second time (except emptying again on CRITICAL).
	 * Excluded caches are left alone.
	 * @param level the new level
	 * @return the estimated bytes freed
	 */
	public long onPressure(MemoryPressure level) {
		discover();
		synchronized (this.pressureLock) {
			List<GuardedCache> guarded = underPressure();
			if (level == MemoryPressure.NORMAL) {
				if (this.shrunk) {
					this.shrunk = false;
					guarded.forEach(GuardedCache::restore);
					logger.info("Memory pressure NORMAL: {} guarded caches back to their bounds{}", guarded.size(),
							excludedNote());
				}
				return 0;
			}
			long freed = 0;
			boolean clearing = level == MemoryPressure.CRITICAL && this.clearOnCritical;
			if (clearing) {
				// emptied first: the memory is given back before any bound is touched
				for (GuardedCache cache : guarded) {
					freed += cache.clear();
				}
			}
			boolean shrinking = !this.shrunk;
			if (shrinking) {
				this.shrunk = true;
				for (GuardedCache cache : guarded) {
					freed += cache.shrink(this.shrinkTo);
				}
			}
			if (shrinking || clearing) {
				logger.warn("Memory pressure {}: {} guarded caches {}, freed ~{} bytes{}", level, guarded.size(),
						describe(shrinking, clearing), freed, excludedNote());
			}
			return freed;
		}
	}

	private List<GuardedCache> underPressure() {
		List<GuardedCache> guarded = new ArrayList<>();
		this.caches.values().stream().filter((cache) -> !isExcluded(cache.name())).forEach(guarded::add);
		return guarded;
	}

	private String excludedNote() {
		List<String> excludedNames = this.caches.keySet().stream().filter(this::isExcluded).sorted().toList();
		return excludedNames.isEmpty() ? "" : " (left alone: " + String.join(", ", excludedNames) + ")";
	}

	private String describe(boolean shrinking, boolean clearing) {
		String shrunk = "shrunk to " + Math.round(this.shrinkTo * 100) + "% of their bounds";
		if (shrinking && clearing) {
			return shrunk + " and emptied";
		}
		return shrinking ? shrunk : "emptied";
	}

	/**
	 * Frees what relief asks for: empties every cache when clearing is on, otherwise
	 * evicts each down to the shrink fraction of its bound and keeps the bound as it is.
	 * Excluded caches are left alone.
	 * @return the estimated bytes freed
	 */
	public long relieve() {
		discover();
		synchronized (this.pressureLock) {
			long freed = 0;
			for (GuardedCache guarded : underPressure()) {
				if (this.clearOnCritical) {
					freed += guarded.clear();
				}
				else if (!this.shrunk) {
					freed += guarded.shrink(this.shrinkTo);
					guarded.restore();
				}
			}
			return freed;
		}
	}

	/**
	 * Told of every cache the registry guards.
	 */
	@FunctionalInterface
	public interface RegistrationListener {

		/**
		 * Called once for each cache registered.
		 * @param name the cache name
		 * @param kind what kind of cache it is
		 * @param nativeCache the cache as the application holds it: a Caffeine
		 * {@code Cache}, a {@code ConcurrentMap} or a {@code javax.cache.Cache}
		 * @param cacheManager the name of the cache manager bean that holds it, or
		 * {@code null} for caches built through the registry
		 */
		void registered(String name, CacheKind kind, Object nativeCache, @Nullable String cacheManager);

	}

}

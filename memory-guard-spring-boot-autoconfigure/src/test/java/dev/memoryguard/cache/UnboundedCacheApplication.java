package dev.memoryguard.cache;

import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryPressureChangedEvent;
import dev.memoryguard.autoconfigure.MemoryGuardAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardCacheAutoConfiguration;
import dev.memoryguard.autoconfigure.MemoryGuardReliefAutoConfiguration;

/**
 * An application run in a forked JVM with a small heap by
 * {@link UnboundedCacheSurvivalTests}: a {@code @Cacheable} service whose unbounded
 * cache, Spring's simple map ({@code map}) or a cache of Caffeine's JCache provider
 * ({@code jcache}), is fed eight times what the heap holds, as fast as a busy service
 * would (the rate in MB/s is the third argument). With {@code guarded} memory-guard is on;
 * with {@code unguarded} the same application runs with {@code memory-guard.enabled=false}.
 * <p>
 * Prints {@code RESULT fed=<bytes> heap=<bytes> emptied=<times the cache was found
 * emptied> critical=<times CRITICAL was entered>} when it survives.
 */
public final class UnboundedCacheApplication {

	static final int DOCUMENT_BYTES = 32 * 1024;

	private UnboundedCacheApplication() {
	}

	public static void main(String[] args) throws Exception {
		String kind = args[0];
		boolean guarded = "guarded".equals(args[1]);
		long bytesPerSecond = Long.parseLong(args[2]) * 1024 * 1024;
		long heap = Runtime.getRuntime().maxMemory();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
			.web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "spring.cache.cache-names=documents",
					"memory-guard.enabled=" + guarded,
					// a 128MB heap leaves 19MB above the default 85%, a quarter of a second of this
					// feed: lower levels and quicker samples give the guard the time that a real
					// service's slower growth gives it on a loaded machine
					"memory-guard.thresholds.warning=0.60", "memory-guard.thresholds.critical=0.75",
					"memory-guard.sampling.interval=250ms")
			.properties(kind.equals("map") ? new String[] { "spring.cache.type=simple" } : new String[] {
					"spring.cache.type=jcache",
					"spring.cache.jcache.provider=com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider" })
			.run()) {
			Documents documents = context.getBean(Documents.class);
			LongSupplier size = size(context.getBean(CacheManager.class).getCache("documents"));
			long target = 8 * heap;
			long start = System.nanoTime();
			long fed = 0;
			// emptied: fell below a tenth of a peak of at least a quarter of the heap
			long full = heap / 4 / DOCUMENT_BYTES;
			int emptied = 0;
			long peak = 0;
			for (long id = 0; fed < target; id++) {
				fed += documents.load(id).length;
				long now = size.getAsLong();
				if (peak >= full && now < peak / 10) {
					emptied++;
					peak = now;
				}
				peak = Math.max(peak, now);
				long due = start + fed * 1_000_000_000L / bytesPerSecond;
				long ahead = due - System.nanoTime();
				if (ahead > 1_000_000) {
					TimeUnit.NANOSECONDS.sleep(ahead);
				}
			}
			System.out.println("RESULT fed=" + fed + " heap=" + heap + " emptied=" + emptied + " critical="
					+ context.getBean(CriticalCount.class).count.get() + " seconds="
					+ (System.nanoTime() - start) / 1_000_000_000.0);
		}
	}

	private static LongSupplier size(Cache cache) {
		Object nativeCache = cache.getNativeCache();
		if (nativeCache instanceof ConcurrentMap<?, ?> map) {
			return map::size;
		}
		com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine = ((javax.cache.Cache<?, ?>) nativeCache)
			.unwrap(com.github.benmanes.caffeine.cache.Cache.class);
		return caffeine::estimatedSize;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	@ImportAutoConfiguration({ MemoryGuardAutoConfiguration.class, MemoryGuardCacheAutoConfiguration.class,
			MemoryGuardReliefAutoConfiguration.class, CacheAutoConfiguration.class })
	static class Application {

		@Bean
		Documents documents() {
			return new Documents();
		}

		@Bean
		CriticalCount criticalCount() {
			return new CriticalCount();
		}

	}

	static class Documents {

		static volatile byte[] rendering;

		@Cacheable("documents")
		public byte[] load(long id) {
			// rendering a document leaves garbage behind, as serving a request does
			rendering = new byte[4 * DOCUMENT_BYTES];
			byte[] document = new byte[DOCUMENT_BYTES];
			document[0] = (byte) id;
			return document;
		}

	}

	static class CriticalCount {

		final AtomicInteger count = new AtomicInteger();

		@EventListener
		void onPressure(MemoryPressureChangedEvent event) {
			if (event.current() == MemoryPressure.CRITICAL) {
				this.count.incrementAndGet();
			}
		}

	}

}

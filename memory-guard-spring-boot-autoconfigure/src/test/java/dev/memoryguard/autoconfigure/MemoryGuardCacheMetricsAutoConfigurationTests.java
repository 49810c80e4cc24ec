package dev.memoryguard.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.cache.CacheBounds;
import dev.memoryguard.cache.CaffeineGuardedCacheRegistry;
import dev.memoryguard.cache.GuardedCacheMeterBinder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardCacheMetricsAutoConfiguration}.
 */
class MemoryGuardCacheMetricsAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, MemoryGuardAutoConfiguration.class,
				MemoryGuardCacheAutoConfiguration.class, MemoryGuardCacheMetricsAutoConfiguration.class,
				CacheAutoConfiguration.class, CacheMetricsAutoConfiguration.class))
		.withBean(MemoryProbe.class, ManualMemoryProbe::new)
		.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
		.withPropertyValues("memory-guard.caches.countries.max-entries=100",
				"memory-guard.caches.documents.max-size=64KB");

	@Test
	void prometheusScrapeHasGuardedCacheGaugesAndStandardCacheMeters() {
		this.contextRunner.run((context) -> {
			CacheManager manager = context.getBean(CacheManager.class);
			manager.getCache("documents").put(1, new byte[10_000]);
			manager.getCache("countries").put("FR", "France");
			manager.getCache("countries").get("FR");
			ConcurrentMap<String, String> dictionary = context.getBean(CaffeineGuardedCacheRegistry.class)
				.map("dictionary", CacheBounds.ofEntries(1000));
			dictionary.put("hello", "world");
			String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
			List<String> lines = Arrays.asList(scrape.split("\n"));
			assertThat(lines).contains("# TYPE memory_guard_cache_weighted_size_bytes gauge",
					"# TYPE memory_guard_cache_max_size_bytes gauge",
					"memory_guard_cache_max_size_bytes{cache=\"documents\"} 65536.0");
			double documentsWeight = value(lines, "memory_guard_cache_weighted_size_bytes{cache=\"documents\"}");
			assertThat(documentsWeight).isGreaterThan(10_000).isLessThan(10_300);
			assertThat(value(lines, "memory_guard_cache_weighted_size_bytes{cache=\"dictionary\"}")).isPositive();
			assertThat(value(lines,
					"cache_gets_total{cache=\"countries\",cache_manager=\"cacheManager\",name=\"countries\",result=\"hit\"}"))
				.isEqualTo(1.0);
			assertThat(value(lines, "cache_size{cache=\"dictionary\",cache_manager=\"memoryGuard\",name=\"dictionary\"}")).isEqualTo(1.0);
			assertThat(lines.stream().filter((line) -> line.startsWith("cache_size{cache=\"countries\"")))
				.hasSize(1);
			assertThat(lines).noneMatch((line) -> line.startsWith("memory_guard_cache_max_size_bytes{cache=\"countries\"}"));
		});
	}

	@Test
	void withoutBootCacheMetricsTheBinderBindsCacheManagerCachesItself() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(CacheMetricsAutoConfiguration.class))
			.run((context) -> {
				context.getBean(CacheManager.class).getCache("countries").put("FR", "France");
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("cache.size").tag("cache", "countries").gauge().value()).isEqualTo(1.0);
				assertThat(registry.get("memory.guard.cache.max.size").tag("cache", "documents").gauge().value())
					.isEqualTo(65536.0);
			});
	}

	@Test
	void simpleMapCachesHaveTheirSizeAndWeightMetered() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class, MemoryGuardAutoConfiguration.class,
					MemoryGuardCacheAutoConfiguration.class, MemoryGuardCacheMetricsAutoConfiguration.class,
					CacheMetricsAutoConfiguration.class))
			.withBean(MemoryProbe.class, ManualMemoryProbe::new)
			.withBean(PrometheusMeterRegistry.class, () -> new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
			.withBean("cacheManager", CacheManager.class, () -> new ConcurrentMapCacheManager("countries"))
			.run((context) -> {
				context.getBean(CacheManager.class).getCache("countries").put("FR", new byte[10_000]);
				List<String> lines = Arrays
					.asList(context.getBean(PrometheusMeterRegistry.class).scrape().split("\n"));
				assertThat(value(lines, "cache_size{cache=\"countries\",cache_manager=\"cacheManager\",name=\"countries\"}"))
					.isEqualTo(1.0);
				assertThat(value(lines, "memory_guard_cache_weighted_size_bytes{cache=\"countries\"}"))
					.isGreaterThan(10_000);
				assertThat(lines).noneMatch((line) -> line.startsWith("cache_gets_total{cache=\"countries\""));
			});
	}

	@Test
	void jcacheCachesThatCannotBeWeighedHaveNoWeightMeter() {
		this.contextRunner.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("spring.cache.type=jcache",
					"spring.cache.jcache.provider=org.ehcache.jsr107.EhcacheCachingProvider",
					"spring.cache.cache-names=vets")
			.run((context) -> {
				context.getBean(CacheManager.class).getCache("vets").put(1, "Dr. Carter");
				String scrape = context.getBean(PrometheusMeterRegistry.class).scrape();
				assertThat(context.getBean(CaffeineGuardedCacheRegistry.class).reports()).containsKey("vets");
				assertThat(scrape).doesNotContain("memory_guard_cache_weighted_size_bytes{cache=\"vets\"}");
			});
	}

	@Test
	void runWithoutMicrometerShouldNotCreateBinder() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(GuardedCacheMeterBinder.class));
	}

	private static double value(List<String> lines, String series) {
		return lines.stream()
			.filter((line) -> line.startsWith(series + " "))
			.map((line) -> Double.parseDouble(line.substring(series.length() + 1).trim()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No series " + series + " in\n" + String.join("\n", lines)));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

	}

}

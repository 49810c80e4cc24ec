package dev.memoryguard.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Weigher;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryReliefAction;
import dev.memoryguard.cache.CacheReport;
import dev.memoryguard.cache.CaffeineGuardedCacheRegistry;
import dev.memoryguard.cache.GuardedCacheManager;
import dev.memoryguard.cache.GuardedCacheRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MemoryGuardCacheAutoConfiguration}.
 */
class MemoryGuardCacheAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
				MemoryGuardCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withBean(MemoryProbe.class, ManualMemoryProbe::new);

	@Test
	void runShouldCreateRegistryAndReliefActionButNoCacheManagerWithoutDeclaredCaches() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(GuardedCacheRegistry.class);
			assertThat(context).doesNotHaveBean(GuardedCacheManager.class);
			assertThat(context.getBean("memoryGuardCachesReliefAction", MemoryReliefAction.class).name())
				.isEqualTo("caches");
		});
	}

	@Test
	void runWithDeclaredCachesShouldCreateGuardedCacheManager() {
		this.contextRunner
			.withPropertyValues("memory-guard.caches.countries.max-entries=100",
					"memory-guard.caches.documents.max-size=64KB",
					"memory-guard.caches.documents.expire-after-write=10m")
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheManager.class);
				CacheManager manager = context.getBean(CacheManager.class);
				assertThat(manager).isInstanceOf(GuardedCacheManager.class);
				assertThat(manager.getCacheNames()).containsExactly("countries", "documents");
				assertThat(manager.getCache("undeclared")).isNull();
				assertThat(context.getBean(GuardedCacheRegistry.class).reports()).containsOnlyKeys("countries",
						"documents");
				CacheReport documents = context.getBean(GuardedCacheRegistry.class).reports().get("documents");
				assertThat(documents.maxSize()).isEqualTo(64 * 1024);
				assertThat(documents.maxEntries()).isNull();
			});
	}

	@Test
	void cacheableServiceUsesTwoCachesOfDifferentSpecs() {
		this.contextRunner.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("memory-guard.caches.countries.max-entries=100",
					"memory-guard.caches.documents.max-size=64KB")
			.run((context) -> {
				LookupService service = context.getBean(LookupService.class);
				assertThat(service.country("FR")).isEqualTo("country FR");
				assertThat(service.country("FR")).isEqualTo("country FR");
				assertThat(service.countryCalls()).isOne();
				for (int i = 0; i < 150; i++) {
					service.country("C" + i);
				}
				for (int i = 0; i < 200; i++) {
					service.document(i);
				}
				assertThat(service.documentCalls()).isEqualTo(200);
				CaffeineGuardedCacheRegistry registry = context.getBean(CaffeineGuardedCacheRegistry.class);
				CacheManager manager = context.getBean(CacheManager.class);
				((com.github.benmanes.caffeine.cache.Cache<?, ?>) manager.getCache("countries").getNativeCache())
					.cleanUp();
				((com.github.benmanes.caffeine.cache.Cache<?, ?>) manager.getCache("documents").getNativeCache())
					.cleanUp();
				CacheReport countries = registry.reports().get("countries");
				CacheReport documents = registry.reports().get("documents");
				assertThat(countries.size()).isEqualTo(100);
				assertThat(countries.hitRatio()).isGreaterThan(0);
				assertThat(documents.size()).isBetween(20L, 60L);
				assertThat(documents.weightedSize()).isLessThanOrEqualTo(64 * 1024);
			});
	}

	@Test
	void undeclaredCacheFailsOnFirstUse() {
		this.contextRunner.withUserConfiguration(CachingConfiguration.class)
			.withPropertyValues("memory-guard.caches.countries.max-entries=100")
			.run((context) -> assertThatIllegalArgumentException()
				.isThrownBy(() -> context.getBean(LookupService.class).document(1))
				.withMessageContaining("documents"));
	}

	@Test
	void pressureShrinksEmptiesAndRestoresDeclaredCaches() {
		this.contextRunner.withPropertyValues("memory-guard.caches.countries.max-entries=100").run((context) -> {
			CacheManager manager = context.getBean(CacheManager.class);
			ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
			GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
			org.springframework.cache.Cache countries = manager.getCache("countries");
			for (int i = 0; i < 100; i++) {
				countries.put(i, "country " + i);
			}
			probe.setPressure(MemoryPressure.WARNING);
			assertThat(registry.reports().get("countries").size()).isEqualTo(50);
			assertThat(registry.reports().get("countries").maxEntries()).isEqualTo(50);
			probe.setPressure(MemoryPressure.CRITICAL);
			assertThat(registry.reports().get("countries").size()).isZero();
			probe.setPressure(MemoryPressure.NORMAL);
			assertThat(registry.reports().get("countries").maxEntries()).isEqualTo(100);
		});
	}

	@Test
	void pressureSettingsComeFromReliefProperties() {
		this.contextRunner
			.withPropertyValues("memory-guard.caches.countries.max-entries=100",
					"memory-guard.relief.shrink-caches-to=0.2", "memory-guard.relief.clear-caches=false")
			.run((context) -> {
				org.springframework.cache.Cache countries = context.getBean(CacheManager.class).getCache("countries");
				for (int i = 0; i < 100; i++) {
					countries.put(i, "country " + i);
				}
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
				assertThat(context.getBean(GuardedCacheRegistry.class).reports().get("countries").size())
					.isEqualTo(20);
			});
	}

	@Test
	void userDefinedCacheManagerBacksOffAndItsCaffeineCachesAreGuarded() {
		this.contextRunner.withUserConfiguration(UserCacheManagerConfiguration.class)
			.withPropertyValues("memory-guard.caches.countries.max-entries=100")
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheManager.class);
				assertThat(context).doesNotHaveBean(GuardedCacheManager.class);
				GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
				assertThat(registry.reports()).containsOnlyKeys("users");
				org.springframework.cache.Cache users = context.getBean(CacheManager.class).getCache("users");
				for (int i = 0; i < 40; i++) {
					users.put(i, "user " + i);
				}
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.WARNING);
				assertThat(registry.reports().get("users").size()).isEqualTo(20);
				assertThat(registry.clear("users")).isPresent();
				assertThat(registry.reports().get("users").size()).isZero();
			});
	}

	@Test
	void cachesAUserCacheManagerCreatesOnFirstUseAreGuardedToo() {
		this.contextRunner.withUserConfiguration(DynamicCacheManagerConfiguration.class, CachingConfiguration.class)
			.run((context) -> {
				GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
				assertThat(registry.reports()).isEmpty();
				LookupService lookups = context.getBean(LookupService.class);
				for (int i = 0; i < 40; i++) {
					lookups.country("c" + i);
				}
				assertThat(registry.reports()).containsOnlyKeys("countries");
				assertThat(registry.reports().get("countries").size()).isEqualTo(40);
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.WARNING);
				assertThat(registry.reports().get("countries").size()).isEqualTo(20);
				lookups.document(1);
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
				assertThat(registry.reports()).containsOnlyKeys("countries", "documents");
				assertThat(registry.reports().values()).allSatisfy((report) -> assertThat(report.size()).isZero());
			});
	}

	@Test
	void cachesCreatedOnFirstUseAreFoundWithinOneSamplingInterval() {
		this.contextRunner.withUserConfiguration(DynamicCacheManagerConfiguration.class)
			.withPropertyValues("memory-guard.sampling.interval=50ms")
			.run((context) -> {
				context.getBean(CacheManager.class).getCache("sessions").put("a", "b");
				CaffeineGuardedCacheRegistry registry = context.getBean(CaffeineGuardedCacheRegistry.class);
				// asked without going through reports(), which would look for new caches itself
				Awaitility.await()
					.atMost(Duration.ofSeconds(5))
					.untilAsserted(() -> assertThat(registry.weightedSize("sessions")).isPositive());
			});
	}

	@Test
	void weigherBeanNamedForACacheOverridesTheEstimator() {
		this.contextRunner.withUserConfiguration(WeigherConfiguration.class)
			.withPropertyValues("memory-guard.caches.documents.max-size=10KB")
			.run((context) -> {
				org.springframework.cache.Cache documents = context.getBean(CacheManager.class).getCache("documents");
				for (int i = 0; i < 20; i++) {
					documents.put(i, "small");
				}
				// each entry weighs 1KB by the user's weigher: 10 fit, not the 20 the estimator would allow
				com.github.benmanes.caffeine.cache.Cache<?, ?> nativeCache = (com.github.benmanes.caffeine.cache.Cache<?, ?>) documents
					.getNativeCache();
				nativeCache.cleanUp();
				assertThat(nativeCache.estimatedSize()).isEqualTo(10);
			});
	}

	@Test
	void negativeMaxSizeFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("memory-guard.caches.documents.max-size=-1MB")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidMemoryGuardPropertyException.class)
				.hasMessageContaining("memory-guard.caches.documents.max-size"));
	}

	@Test
	void unknownUnitFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("memory-guard.caches.documents.max-size=10XB")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Failed to bind properties under 'memory-guard.caches.documents.max-size'")
				.hasStackTraceContaining("10XB"));
	}

	@Test
	void negativeMaxEntriesFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("memory-guard.caches.countries.max-entries=-5")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("memory-guard.caches.countries.max-entries"));
	}

	@Test
	void runWithoutCaffeineShouldNotCreateRegistry() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(Caffeine.class))
			.run((context) -> assertThat(context).doesNotHaveBean(GuardedCacheRegistry.class));
	}

	@Test
	void runWhenDisabledShouldNotCreateRegistry() {
		this.contextRunner.withPropertyValues("memory-guard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GuardedCacheRegistry.class));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableCaching
	static class CachingConfiguration {

		@Bean
		LookupService lookupService() {
			return new LookupService();
		}

	}

	static class LookupService {

		final AtomicInteger countryCalls = new AtomicInteger();

		final AtomicInteger documentCalls = new AtomicInteger();

		@Cacheable("countries")
		public String country(String code) {
			this.countryCalls.incrementAndGet();
			return "country " + code;
		}

		@Cacheable("documents")
		public byte[] document(int id) {
			this.documentCalls.incrementAndGet();
			return new byte[1024];
		}

		public int countryCalls() {
			return this.countryCalls.get();
		}

		public int documentCalls() {
			return this.documentCalls.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheManagerConfiguration {

		@Bean
		CacheManager userCacheManager() {
			CaffeineCacheManager manager = new CaffeineCacheManager("users");
			manager.setCaffeine(Caffeine.newBuilder().maximumSize(40).recordStats());
			return manager;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DynamicCacheManagerConfiguration {

		@Bean
		CacheManager userCacheManager() {
			CaffeineCacheManager manager = new CaffeineCacheManager();
			manager.setCaffeine(Caffeine.newBuilder().maximumSize(40).recordStats());
			return manager;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WeigherConfiguration {

		@Bean
		Weigher<Object, Object> documentsWeigher() {
			return (key, value) -> 1024;
		}

	}

}

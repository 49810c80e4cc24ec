package dev.memoryguard.autoconfigure;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.configuration.MutableConfiguration;

import com.github.benmanes.caffeine.jcache.configuration.CaffeineConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.cache.support.CompositeCacheManager;
import org.springframework.cache.support.NoOpCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryProbe;
import dev.memoryguard.MemoryThresholds;
import dev.memoryguard.cache.CacheKind;
import dev.memoryguard.cache.CacheReport;
import dev.memoryguard.cache.CaffeineGuardedCacheRegistry;
import dev.memoryguard.cache.GuardedCacheManager;
import dev.memoryguard.cache.GuardedCacheRegistry;
import dev.memoryguard.relief.ActionReport;
import dev.memoryguard.relief.MemoryRelief;
import dev.memoryguard.relief.ReliefReport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MemoryGuardCacheAutoConfiguration} with the caches an application
 * already has: each kind is listed with its manager, weighed where it can be, emptied on
 * entering CRITICAL unless excluded, and holds what it is given again at NORMAL; caches
 * that do not live in this heap are never touched.
 */
@ExtendWith(OutputCaptureExtension.class)
class MemoryGuardCacheAdoptionTests {

	private static final String CAFFEINE_JCACHE = "com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider";

	private static final String EHCACHE = "org.ehcache.jsr107.EhcacheCachingProvider";

	private static final int ENTRIES = 40;

	private static final int VALUE_BYTES = 1000;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(MemoryGuardAutoConfiguration.class,
				MemoryGuardCacheAutoConfiguration.class, CacheAutoConfiguration.class))
		.withUserConfiguration(CachingConfiguration.class)
		.withBean(MemoryProbe.class, ManualMemoryProbe::new)
		.withPropertyValues("memory-guard.relief.exclude-caches=tok*");

	@Test
	void simpleCacheIsAMapThatIsWeighedAndEmptiedOnEnteringCritical(CapturedOutput output) {
		this.contextRunner.withPropertyValues("spring.cache.type=simple", "spring.cache.cache-names=countries,tokens")
			.run((context) -> {
				assertGuardedThroughPressure(context, "cacheManager", CacheKind.MAP, true);
				CacheReport countries = context.getBean(GuardedCacheRegistry.class).reports().get("countries");
				assertThat(countries.hitRatio()).as("a map records no statistics").isNull();
				assertThat(countries.evictions()).as("a map never evicts").isZero();
				assertThat(countries.maxEntries()).isNull();
				assertThat(countries.maxSize()).isNull();
			});
		assertThat(output).containsOnlyOnce("Cache manager 'cacheManager' holds unbounded caches [countries, tokens]")
			.contains("memory-guard.caches.<name>");
	}

	@Test
	void simpleCachesCreatedOnFirstUseAreGuardedToo() {
		this.contextRunner.withPropertyValues("spring.cache.type=simple").run((context) -> {
			GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
			assertThat(registry.reports()).isEmpty();
			context.getBean(LookupService.class).country("FR");
			assertThat(registry.reports()).containsOnlyKeys("countries");
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			assertThat(registry.reports().get("countries").size()).isZero();
		});
	}

	@Test
	void caffeineCacheWithoutSpecHasNoHitRatioNorEvictions() {
		this.contextRunner.withPropertyValues("spring.cache.type=caffeine", "spring.cache.cache-names=countries,tokens")
			.run((context) -> {
				assertGuardedThroughPressure(context, "cacheManager", CacheKind.CAFFEINE, true);
				Cache countries = context.getBean(CacheManager.class).getCache("countries");
				countries.put("FR", "France");
				countries.get("FR");
				countries.get("DE");
				CacheReport report = context.getBean(GuardedCacheRegistry.class).reports().get("countries");
				assertThat(report.hitRatio()).as("no statistics recorded: unknown, not 0").isNull();
				assertThat(report.evictions()).isNull();
			});
	}

	@Test
	void caffeineCacheWithRecordStatsSpecHasARealHitRatioAndShrinksAtWarning() {
		this.contextRunner
			.withPropertyValues("spring.cache.type=caffeine", "spring.cache.cache-names=countries,tokens",
					"spring.cache.caffeine.spec=maximumSize=100,recordStats")
			.run((context) -> {
				GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
				Cache countries = context.getBean(CacheManager.class).getCache("countries");
				assertThat(registry.reports().get("countries").hitRatio()).as("nothing requested yet").isNull();
				countries.put("FR", "France");
				countries.get("FR");
				countries.get("FR");
				countries.get("FR");
				countries.get("DE");
				assertThat(registry.reports().get("countries").hitRatio()).isEqualTo(0.75);
				assertThat(registry.reports().get("countries").evictions()).isZero();
				countries.evict("FR");
				assertGuardedThroughPressure(context, "cacheManager", CacheKind.CAFFEINE, true);
				fill(countries, 100);
				ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
				probe.setPressure(MemoryPressure.WARNING);
				assertThat(registry.reports().get("countries").size()).isEqualTo(50);
				assertThat(registry.reports().get("countries").maxEntries()).isEqualTo(50);
				assertThat(registry.reports().get("tokens").maxEntries()).as("excluded").isEqualTo(100);
				probe.setPressure(MemoryPressure.NORMAL);
				assertThat(registry.reports().get("countries").maxEntries()).isEqualTo(100);
			});
	}

	@Test
	void caffeineJCacheIsGuardedAsTheCaffeineCacheItWraps() {
		this.contextRunner
			.withPropertyValues("spring.cache.type=jcache", "spring.cache.jcache.provider=" + CAFFEINE_JCACHE,
					"spring.cache.cache-names=countries,tokens")
			.run((context) -> {
				assertGuardedThroughPressure(context, "cacheManager", CacheKind.JCACHE, true);
				CacheReport countries = context.getBean(GuardedCacheRegistry.class).reports().get("countries");
				assertThat(countries.hitRatio()).as("JCache statistics are off").isNull();
				assertThat(countries.evictions()).isNull();
			});
	}

	@Test
	void cacheAJCacheManagerCustomizerCreatesIsGuardedWithItsStatisticsAndBound() {
		// Spring Petclinic's way: a customizer creates the cache with statistics on
		this.contextRunner.withUserConfiguration(PetclinicCacheConfiguration.class)
			.withPropertyValues("spring.cache.type=jcache", "spring.cache.jcache.provider=" + CAFFEINE_JCACHE)
			.run((context) -> {
				assertGuardedThroughPressure(context, "cacheManager", CacheKind.JCACHE, true);
				GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
				LookupService vets = context.getBean(LookupService.class);
				for (int i = 0; i < 4; i++) {
					vets.vets();
				}
				CacheReport report = registry.reports().get("vets");
				assertThat(report.manager()).isEqualTo("cacheManager");
				assertThat(report.kind()).isEqualTo(CacheKind.JCACHE);
				assertThat(report.hitRatio()).isEqualTo(0.75);
				assertThat(vets.vetsCalls()).isOne();
				fill(context.getBean(CacheManager.class).getCache("bounded"), 100);
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.WARNING);
				assertThat(registry.reports().get("bounded").size()).isEqualTo(50);
				assertThat(registry.reports().get("bounded").maxEntries()).isEqualTo(50);
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.NORMAL);
				assertThat(registry.reports().get("bounded").maxEntries()).isEqualTo(100);
			});
	}

	@Test
	void ehcacheJCacheIsEmptiedThroughTheJCacheApiAndReportsOnlyWhatItKnows() {
		this.contextRunner.withUserConfiguration(PetclinicCacheConfiguration.class)
			.withPropertyValues("spring.cache.type=jcache", "spring.cache.jcache.provider=" + EHCACHE)
			.run((context) -> {
				assertGuardedThroughPressure(context, "cacheManager", CacheKind.JCACHE, false);
				LookupService vets = context.getBean(LookupService.class);
				vets.vets();
				vets.vets();
				CacheReport report = context.getBean(GuardedCacheRegistry.class).reports().get("vets");
				assertThat(report.hitRatio()).as("from its statistics bean").isEqualTo(0.5);
				assertThat(report.size()).isNull();
				assertThat(report.weightedSize()).isNull();
				CacheReport countries = context.getBean(GuardedCacheRegistry.class).reports().get("countries");
				assertThat(countries.hitRatio()).as("statistics off").isNull();
				assertThat(countries.evictions()).as("statistics off").isNull();
				assertThat(report.evictions()).isZero();
			});
	}

	@Test
	void userCacheManagerOfMapsIsGuardedUnderItsBeanName() {
		this.contextRunner.withUserConfiguration(UserMapCacheManagerConfiguration.class)
			.withPropertyValues("memory-guard.caches.ignored.max-entries=10")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(GuardedCacheManager.class);
				assertGuardedThroughPressure(context, "localCaches", CacheKind.MAP, true);
			});
	}

	@Test
	void compositeCacheManagerCachesAreGuardedUnderTheManagerThatHoldsThem() {
		this.contextRunner.withUserConfiguration(CompositeCacheManagerConfiguration.class).run((context) -> {
			assertGuardedThroughPressure(context, "cacheManager", CacheKind.MAP, true);
			GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
			assertThat(registry.reports().get("users").manager()).isEqualTo("caffeineCacheManager");
			assertThat(registry.reports().get("users").kind()).isEqualTo(CacheKind.CAFFEINE);
			Cache users = context.getBean(CacheManager.class).getCache("users");
			fill(users, ENTRIES);
			context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			assertThat(registry.reports().get("users").size()).isZero();
		});
	}

	@Test
	void redisCachesAreNeverTouchedAndDeclaredCachesGiveWayToSpringCacheType(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(RedisConfiguration.class)
			.withConfiguration(AutoConfigurations.of(MemoryGuardReliefAutoConfiguration.class))
			.withPropertyValues("spring.cache.type=redis", "spring.cache.cache-names=sessions",
					"memory-guard.caches.countries.max-entries=100")
			.run((context) -> {
				assertThat(context).hasSingleBean(CacheManager.class);
				assertThat(context.getBean(CacheManager.class)).isInstanceOf(RedisCacheManager.class);
				GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
				assertThat(registry.reports()).isEmpty();
				assertThat(registry.clear("sessions")).isEmpty();
				context.getBean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
				// touching a Redis cache would need a server: there is none, so it would fail
				ReliefReport relief = context.getBean(MemoryRelief.class).relieve("endpoint");
				assertThat(relief.actions()).filteredOn((action) -> action.name().equals("caches"))
					.singleElement()
					.satisfies((action) -> assertThat(action.succeeded()).isTrue())
					.extracting(ActionReport::freed)
					.isEqualTo(0L);
			});
		assertThat(output)
			.containsOnlyOnce("memory-guard.caches declares caches [countries], but spring.cache.type=redis")
			.contains("leaves caches [sessions (RedisCache)] of cache manager 'cacheManager' alone");
	}

	@Test
	void springCacheTypeNoneKeepsCachingOffEvenWithDeclaredCaches(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.cache.type=none", "memory-guard.caches.countries.max-entries=100")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(GuardedCacheManager.class);
				assertThat(context.getBean(CacheManager.class)).isInstanceOf(NoOpCacheManager.class);
			});
		assertThat(output).containsOnlyOnce("spring.cache.type=none");
	}

	@Test
	void springCacheTypeCaffeineKeepsTheDeclaredCaches(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("spring.cache.type=caffeine", "memory-guard.caches.countries.max-entries=100")
			.run((context) -> assertThat(context.getBean(CacheManager.class)).isInstanceOf(GuardedCacheManager.class));
		assertThat(output).doesNotContain("memory-guard.caches declares caches");
	}

	@Test
	void excludedCacheIsLeftAloneByReliefButEmptiedWhenAskedByName() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(MemoryGuardReliefAutoConfiguration.class))
			.withPropertyValues("spring.cache.type=simple", "spring.cache.cache-names=countries,tokens")
			.run((context) -> {
				CacheManager manager = context.getBean(CacheManager.class);
				fill(manager.getCache("countries"), ENTRIES);
				fill(manager.getCache("tokens"), ENTRIES);
				ReliefReport relief = context.getBean(MemoryRelief.class).relieve("endpoint");
				assertThat(relief.freed()).isPositive();
				GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
				assertThat(registry.reports().get("countries").size()).isZero();
				assertThat(registry.reports().get("tokens").size()).isEqualTo(ENTRIES);
				OptionalLong freed = registry.clear("tokens");
				assertThat(freed).isPresent();
				assertThat(registry.reports().get("tokens").size()).isZero();
			});
	}

	@Test
	void cachesFollowTheGuardItselfNotApplicationEvents() {
		// a guard of the application's own, which publishes no events
		this.contextRunner.withBean("memoryGuard", MemoryGuard.class,
				() -> new MemoryGuard(new ManualMemoryProbe(), MemoryThresholds.DEFAULTS, java.time.Duration.ofSeconds(1)))
			.withPropertyValues("spring.cache.type=simple", "spring.cache.cache-names=countries,tokens")
			.run((context) -> {
				Cache countries = context.getBean(CacheManager.class).getCache("countries");
				fill(countries, ENTRIES);
				((ManualMemoryProbe) context.getBean(MemoryGuard.class).probe()).setPressure(MemoryPressure.CRITICAL);
				assertThat(context.getBean(GuardedCacheRegistry.class).reports().get("countries").size()).isZero();
			});
	}

	@Test
	void blankExcludedCacheNameFailsStartupNamingTheProperty() {
		this.contextRunner.withPropertyValues("memory-guard.relief.exclude-caches=tokens,")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidMemoryGuardPropertyException.class)
				.hasMessageContaining("memory-guard.relief.exclude-caches[1]"));
	}

	/**
	 * Fills {@code countries} and the excluded {@code tokens}, then checks what a user
	 * sees: both listed with their manager and kind, weighed where the kind can be,
	 * {@code countries} emptied on entering CRITICAL and {@code tokens} kept, and both
	 * holding what they are given again back at NORMAL.
	 */
	private static void assertGuardedThroughPressure(AssertableApplicationContext context, String manager,
			CacheKind kind, boolean weighed) {
		CacheManager cacheManager = context.getBean(manager, CacheManager.class);
		Cache countries = cacheManager.getCache("countries");
		Cache tokens = cacheManager.getCache("tokens");
		fill(countries, ENTRIES);
		fill(tokens, ENTRIES);
		GuardedCacheRegistry registry = context.getBean(GuardedCacheRegistry.class);
		for (String name : new String[] { "countries", "tokens" }) {
			CacheReport report = registry.reports().get(name);
			assertThat(report).as("report of %s", name).isNotNull();
			assertThat(report.manager()).isEqualTo(manager);
			assertThat(report.kind()).isEqualTo(kind);
			if (weighed) {
				assertThat(report.size()).isEqualTo(ENTRIES);
				assertThat(report.weightedSize()).isBetween(ENTRIES * (VALUE_BYTES + 16L),
						ENTRIES * (VALUE_BYTES + 200L));
			}
			else {
				assertThat(report.size()).as("not known through the JCache API").isNull();
				assertThat(report.weightedSize()).isNull();
			}
		}
		ManualMemoryProbe probe = context.getBean(ManualMemoryProbe.class);
		probe.setPressure(MemoryPressure.CRITICAL);
		assertThat(held(countries)).as("countries at CRITICAL").isZero();
		assertThat(held(tokens)).as("excluded tokens at CRITICAL").isEqualTo(ENTRIES);
		assertThat(context.getBean(CaffeineGuardedCacheRegistry.class).isExcluded("tokens")).isTrue();
		probe.setPressure(MemoryPressure.NORMAL);
		fill(countries, ENTRIES);
		assertThat(held(countries)).as("countries back at NORMAL").isEqualTo(ENTRIES);
		assertThat(held(tokens)).isEqualTo(ENTRIES);
	}

	private static void fill(Cache cache, int entries) {
		for (int i = 0; i < entries; i++) {
			cache.put(i, new byte[VALUE_BYTES]);
		}
	}

	private static int held(Cache cache) {
		int held = 0;
		for (int i = 0; i < ENTRIES; i++) {
			if (cache.get(i) != null) {
				held++;
			}
		}
		return held;
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

		private final AtomicInteger vetsCalls = new AtomicInteger();

		@Cacheable("countries")
		public String country(String code) {
			return "country " + code;
		}

		@Cacheable("vets")
		public String vets() {
			this.vetsCalls.incrementAndGet();
			return "Dr. Carter, Dr. Leary";
		}

		int vetsCalls() {
			return this.vetsCalls.get();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PetclinicCacheConfiguration {

		@Bean
		JCacheManagerCustomizer petclinicCacheConfigurationCustomizer() {
			return (cacheManager) -> {
				cacheManager.createCache("vets", new MutableConfiguration<>().setStatisticsEnabled(true));
				cacheManager.createCache("countries", new MutableConfiguration<>());
				cacheManager.createCache("tokens", new MutableConfiguration<>());
				if (cacheManager.getCachingProvider().getClass().getName().equals(CAFFEINE_JCACHE)) {
					CaffeineConfiguration<Object, Object> bounded = new CaffeineConfiguration<>();
					bounded.setMaximumSize(java.util.OptionalLong.of(100));
					cacheManager.createCache("bounded", bounded);
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserMapCacheManagerConfiguration {

		@Bean
		CacheManager localCaches() {
			return new ConcurrentMapCacheManager("countries", "tokens");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CompositeCacheManagerConfiguration {

		@Bean
		@Primary
		CompositeCacheManager cacheManager(CaffeineCacheManager caffeineCacheManager) {
			return new CompositeCacheManager(new ConcurrentMapCacheManager("countries", "tokens"),
					caffeineCacheManager);
		}

		@Bean
		CaffeineCacheManager caffeineCacheManager() {
			return new CaffeineCacheManager("users");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RedisConfiguration {

		@Bean
		JedisConnectionFactory redisConnectionFactory() {
			return new JedisConnectionFactory();
		}

	}

}

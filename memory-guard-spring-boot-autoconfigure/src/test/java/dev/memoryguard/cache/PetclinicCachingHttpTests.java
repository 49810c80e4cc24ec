package dev.memoryguard.cache;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.cache.configuration.MutableConfiguration;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.JCacheManagerCustomizer;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.testsupport.RunningWebApplication;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests the caching of a Spring Petclinic-like application end to end over HTTP: its
 * {@code vets} cache, created by a {@code JCacheManagerCustomizer} with statistics on and
 * served by Caffeine's JCache provider, is reported by {@code /actuator/memory/caches} with
 * its manager, kind and real hit ratio, and emptied on entering CRITICAL while the
 * application keeps answering.
 */
class PetclinicCachingHttpTests {

	@Test
	void vetsCacheIsReportedAndEmptiedAtCriticalWhileTheApplicationKeepsServing() {
		try (RunningWebApplication app = RunningWebApplication.start(new Class<?>[] { Petclinic.class },
				"management.endpoints.web.exposure.include=memory", "spring.main.banner-mode=off",
				// Petclinic has one JCache provider; this class path has two, so name it
				"spring.cache.jcache.provider=com.github.benmanes.caffeine.jcache.spi.CaffeineCachingProvider")) {
			for (int i = 0; i < 20; i++) {
				assertThat(app.get("/vets").body()).isEqualTo("[\"James Carter\",\"Helen Leary\"]");
			}
			assertThat(app.bean(VetRepository.class).calls()).isOne();
			JsonNode vets = app.getJson("/actuator/memory/caches").get("vets");
			assertThat(vets.get("manager").asString()).isEqualTo("cacheManager");
			assertThat(vets.get("kind").asString()).isEqualTo("jcache");
			assertThat(vets.get("size").asLong()).isOne();
			assertThat(vets.get("weightedSize").asLong()).isPositive();
			assertThat(vets.get("hitRatio").asDouble()).isEqualTo(0.95);
			assertThat(vets.get("evictions").asLong()).isZero();
			assertThat(vets.get("maxEntries").isNull()).isTrue();
			assertThat(app.get("/actuator/memory").body()).doesNotContain("Carter");

			app.bean(ManualMemoryProbe.class).setPressure(MemoryPressure.CRITICAL);
			assertThat(app.getJson("/actuator/memory/caches").get("vets").get("size").asLong()).isZero();
			assertThat(app.get("/vets").statusCode()).isEqualTo(200);
			assertThat(app.bean(VetRepository.class).calls()).isEqualTo(2);
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
	@EnableCaching
	static class Petclinic {

		@Bean
		JCacheManagerCustomizer petclinicCacheConfigurationCustomizer() {
			return (cacheManager) -> cacheManager.createCache("vets",
					new MutableConfiguration<>().setStatisticsEnabled(true));
		}

		@Bean
		VetRepository vetRepository() {
			return new VetRepository();
		}

		@Bean
		VetController vetController(VetRepository vets) {
			return new VetController(vets);
		}

		@Bean
		ManualMemoryProbe memoryProbe() {
			return new ManualMemoryProbe();
		}

	}

	static class VetRepository {

		private final AtomicInteger calls = new AtomicInteger();

		@Cacheable("vets")
		public List<String> findAll() {
			this.calls.incrementAndGet();
			return List.of("James Carter", "Helen Leary");
		}

		int calls() {
			return this.calls.get();
		}

	}

	@RestController
	static class VetController {

		private final VetRepository vets;

		VetController(VetRepository vets) {
			this.vets = vets;
		}

		@GetMapping("/vets")
		List<String> vets() {
			return this.vets.findAll();
		}

	}

}

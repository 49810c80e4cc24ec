package dev.memoryguard.sample.caches;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.memoryguard.cache.CacheReport;
import dev.memoryguard.cache.GuardedCacheRegistry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CatalogService} in the sample application.
 */
@SpringBootTest
class CatalogServiceTests {

	@Autowired
	private CatalogService catalog;

	@Autowired
	private GuardedCacheRegistry caches;

	@Test
	void lookupsAreServedFromGuardedCachesWithinTheirBounds() {
		long before = this.catalog.lookups();
		this.catalog.product(1);
		this.catalog.product(1);
		for (int i = 0; i < 20; i++) {
			this.catalog.priceList("region-" + i);
		}
		assertThat(this.catalog.lookups() - before).isEqualTo(21);
		CacheReport products = this.caches.reports().get("products");
		CacheReport priceLists = this.caches.reports().get("price-lists");
		assertThat(products.size()).isOne();
		assertThat(products.maxEntries()).isEqualTo(10_000);
		assertThat(priceLists.maxSize()).isEqualTo(2L * 1024 * 1024);
		assertThat(priceLists.weightedSize()).isLessThanOrEqualTo(priceLists.maxSize());
		assertThat(priceLists.size()).isLessThan(20);
	}

}

package dev.memoryguard.sample.caches;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.cache.annotation.Cacheable;
import org.springframework.stereotype.Service;

/**
 * Two cached lookups with different bounds: products (many small values, bounded in
 * entries) and price lists (few large values, bounded in bytes).
 */
@Service
public class CatalogService {

	private final AtomicLong lookups = new AtomicLong();

	/**
	 * Looks a product up; cached in {@code products}.
	 * @param id the product id
	 * @return the product
	 */
	@Cacheable("products")
	public Product product(long id) {
		this.lookups.incrementAndGet();
		return new Product(id, "SKU-" + id, "Product number " + id, BigDecimal.valueOf(id % 100 + 0.99));
	}

	/**
	 * Builds the price list of a region; cached in {@code price-lists}.
	 * @param region the region
	 * @return its price list
	 */
	@Cacheable("price-lists")
	public PriceList priceList(String region) {
		this.lookups.incrementAndGet();
		List<Product> products = new ArrayList<>();
		for (int i = 0; i < 2_000; i++) {
			products.add(new Product(i, "SKU-" + i, region + " product " + i, BigDecimal.valueOf(i % 100 + 0.49)));
		}
		return new PriceList(region, products);
	}

	/**
	 * Returns how many lookups were not served from a cache.
	 * @return the number of real lookups
	 */
	public long lookups() {
		return this.lookups.get();
	}

	/**
	 * A product.
	 *
	 * @param id its id
	 * @param sku its stock-keeping unit
	 * @param name its name
	 * @param price its price
	 */
	public record Product(long id, String sku, String name, BigDecimal price) {

	}

	/**
	 * The prices of one region.
	 *
	 * @param region the region
	 * @param products its products with their prices
	 */
	public record PriceList(String region, List<Product> products) {

	}

}

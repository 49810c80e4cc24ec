package dev.memoryguard.sample.caches;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves the cached catalog lookups: {@code GET /catalog/products/{id}} and
 * {@code GET /catalog/price-lists/{region}}. The caches show in
 * {@code GET /actuator/memory/caches}.
 */
@RestController
@RequestMapping("/catalog")
class CatalogController {

	private final CatalogService catalog;

	CatalogController(CatalogService catalog) {
		this.catalog = catalog;
	}

	@GetMapping("/products/{id}")
	CatalogService.Product product(@PathVariable long id) {
		return this.catalog.product(id);
	}

	@GetMapping("/price-lists/{region}")
	CatalogService.PriceList priceList(@PathVariable String region) {
		return this.catalog.priceList(region);
	}

}

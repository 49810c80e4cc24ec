package dev.memoryguard.benchmarks.startup;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * The application whose startup {@code benchmarks/aot-startup.sh} measures with and
 * without memory-guard: the sample app's stack (Spring MVC, actuator, security,
 * Prometheus, scheduling) with no database, no cache (the sample's cache manager is the
 * starter's) and no memory-guard type in its code, so that the same classes start with
 * the starter's jars on the class path and without them.
 */
@SpringBootApplication
@EnableScheduling
public class StartupApplication {

	public static void main(String[] args) {
		SpringApplication.run(StartupApplication.class, args);
	}

	@Service
	public static class Catalog {

		private final AtomicLong refreshes = new AtomicLong();

		public String product(String sku) {
			return "product " + sku;
		}

		@Scheduled(fixedRate = 60_000)
		public void refresh() {
			this.refreshes.incrementAndGet();
		}

	}

	@RestController
	public static class CatalogController {

		private final Catalog catalog;

		public CatalogController(Catalog catalog) {
			this.catalog = catalog;
		}

		@GetMapping("/products/{sku}")
		public String product(@PathVariable String sku) {
			return this.catalog.product(sku);
		}

	}

}

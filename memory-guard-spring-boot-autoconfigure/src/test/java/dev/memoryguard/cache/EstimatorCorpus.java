package dev.memoryguard.cache;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

/**
 * Realistic cache values: DTO records with strings, lists of DTOs, maps, byte arrays and
 * nested structures.
 */
final class EstimatorCorpus {

	private EstimatorCorpus() {
	}

	enum Status {

		NEW, PAID, SHIPPED

	}

	record Customer(long id, String name, String email, LocalDate since, List<String> tags) {

	}

	record OrderLine(String sku, int quantity, BigDecimal price) {

	}

	record Order(String id, Customer customer, List<OrderLine> lines, BigDecimal total, LocalDateTime createdAt,
			Status status) {

	}

	static final class Product {

		private final String sku;

		private final String description;

		private final double weight;

		private final Long stock;

		private final int[] warehouses;

		private final Map<String, String> attributes;

		Product(int i) {
			this.sku = "SKU-" + i;
			this.description = "A product description that is long enough to look real, number " + i;
			this.weight = i * 0.25;
			this.stock = 1000L + i;
			this.warehouses = new int[] { 1, 2, 3, i };
			this.attributes = new HashMap<>(Map.of("color", "red" + i, "size", "XL"));
		}

	}

	static Customer customer(int i) {
		List<String> tags = new ArrayList<>();
		tags.add("vip-" + i);
		tags.add("newsletter");
		return new Customer(i, "Customer Name " + i, "customer" + i + "@example.com", LocalDate.of(2020, 1, 1 + i % 28),
				tags);
	}

	static Order order(int i) {
		List<OrderLine> lines = new ArrayList<>();
		for (int l = 0; l < 5; l++) {
			lines.add(new OrderLine("SKU-" + i + "-" + l, l + 1, new BigDecimal("19.99")));
		}
		return new Order("ORD-" + i, customer(i), lines, new BigDecimal("99.95"), LocalDateTime.of(2026, 11, 22, 10, i % 60),
				Status.PAID);
	}

	/**
	 * Returns the corpus by name.
	 * @return each value by a name that says what it is
	 */
	static Map<String, Object> values() {
		Map<String, Object> values = new LinkedHashMap<>();
		values.put("customer record", customer(7));
		values.put("order with lines", order(3));
		List<Customer> customers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			customers.add(customer(i));
		}
		values.put("list of 20 customers", customers);
		Map<String, Customer> byEmail = new HashMap<>();
		for (int i = 0; i < 50; i++) {
			Customer customer = customer(i);
			byEmail.put(customer.email(), customer);
		}
		values.put("hash map of 50 customers", byEmail);
		values.put("byte array 4KB", new byte[4096]);
		values.put("product pojo", new Product(5));
		values.put("immutable list of orders", IntStream.range(0, 10).mapToObj(EstimatorCorpus::order).toList());
		values.put("ascii string", "The quick brown fox jumps over the lazy dog ".repeat(10));
		values.put("utf16 string", "Zażółć gęślą jaźń — ünïcödé ✓ ".repeat(5));
		Map<String, List<Integer>> grouped = new LinkedHashMap<>();
		for (int i = 0; i < 30; i++) {
			grouped.computeIfAbsent("group-" + (i % 6), (k) -> new ArrayList<>()).add(i * 1000);
		}
		values.put("linked map of integer lists", grouped);
		TreeMap<String, String> dictionary = new TreeMap<>();
		for (int i = 0; i < 100; i++) {
			dictionary.put("word-" + i, "definition of word number " + i);
		}
		values.put("tree map dictionary", dictionary);
		Set<String> codes = new HashSet<>();
		for (int i = 0; i < 40; i++) {
			codes.add("CODE" + i);
		}
		values.put("hash set of codes", codes);
		values.put("map of", Map.of("a", customer(1), "b", customer(2), "c", "three"));
		values.put("products by id", IntStream.range(0, 25).boxed()
			.collect(java.util.stream.Collectors.toMap((i) -> i, Product::new)));
		return values;
	}

}

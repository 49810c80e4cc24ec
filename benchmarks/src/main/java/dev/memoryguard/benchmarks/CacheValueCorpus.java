package dev.memoryguard.benchmarks;

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
 * Realistic cache values for the estimator benchmark: DTO records with strings, lists of
 * DTOs, maps, byte arrays and nested structures (the same shapes as the estimator's
 * accuracy tests).
 */
final class CacheValueCorpus {

	private CacheValueCorpus() {
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
		return new Order("ORD-" + i, customer(i), lines, new BigDecimal("99.95"),
				LocalDateTime.of(2026, 11, 22, 10, i % 60), Status.PAID);
	}

	static Object[] values() {
		List<Object> values = new ArrayList<>();
		values.add(customer(7));
		values.add(order(3));
		List<Customer> customers = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			customers.add(customer(i));
		}
		values.add(customers);
		Map<String, Customer> byEmail = new HashMap<>();
		for (int i = 0; i < 50; i++) {
			Customer customer = customer(i);
			byEmail.put(customer.email(), customer);
		}
		values.add(byEmail);
		values.add(new byte[4096]);
		values.add(IntStream.range(0, 10).mapToObj(CacheValueCorpus::order).toList());
		values.add("The quick brown fox jumps over the lazy dog ".repeat(10));
		Map<String, List<Integer>> grouped = new LinkedHashMap<>();
		for (int i = 0; i < 30; i++) {
			grouped.computeIfAbsent("group-" + (i % 6), (k) -> new ArrayList<>()).add(i * 1000);
		}
		values.add(grouped);
		TreeMap<String, String> dictionary = new TreeMap<>();
		for (int i = 0; i < 100; i++) {
			dictionary.put("word-" + i, "definition of word number " + i);
		}
		values.add(dictionary);
		Set<String> codes = new HashSet<>();
		for (int i = 0; i < 40; i++) {
			codes.add("CODE" + i);
		}
		values.add(codes);
		return values.toArray();
	}

}

package dev.memoryguard.sample.jdbc;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import dev.memoryguard.annotation.MemorySafe;
import dev.memoryguard.jdbc.BatchResult;
import dev.memoryguard.jdbc.MemoryAwareJdbc;

/**
 * A nightly-style report over every order: streams {@code sample_order} through one
 * cursor with {@link MemoryAwareJdbc#forEachBatch}, so the heap holds a batch at a time
 * instead of the whole table, and logs what the run did.
 */
@Component
class OrderReportJob {

	private static final Logger logger = LoggerFactory.getLogger(OrderReportJob.class);

	private static final RowMapper<Order> ORDER = (rs, rowNum) -> new Order(rs.getLong("id"),
			rs.getString("customer"), rs.getBigDecimal("amount"));

	private final MemoryAwareJdbc jdbc;

	OrderReportJob(MemoryAwareJdbc jdbc) {
		this.jdbc = jdbc;
	}

	@Scheduled(initialDelayString = "${sample.jdbc.report-initial-delay:5s}",
			fixedDelayString = "${sample.jdbc.report-interval:60s}")
	@MemorySafe(name = "order-report")
	void report() {
		Map<String, BigDecimal> totals = new HashMap<>();
		long start = System.nanoTime();
		BatchResult result = this.jdbc.forEachBatch("select id, customer, amount from sample_order order by id", ORDER,
				(orders) -> add(orders, totals));
		BigDecimal total = totals.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
		long millis = (System.nanoTime() - start) / 1_000_000;
		if (result.stoppedEarly()) {
			logger.warn("Order report stopped early after {} orders in {} batches ({} ms): {}", result.rows(),
					result.batches(), millis, result.stopReason());
		}
		else {
			logger.info("Order report: {} orders of {} customers, total {}, in {} batches (smallest {}) and {} ms",
					result.rows(), totals.size(), total, result.batches(), result.smallestBatch(), millis);
		}
	}

	private static void add(List<Order> orders, Map<String, BigDecimal> totals) {
		for (Order order : orders) {
			totals.merge(order.customer(), order.amount(), BigDecimal::add);
		}
	}

	record Order(long id, String customer, BigDecimal amount) {

	}

}

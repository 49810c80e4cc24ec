package dev.memoryguard.sample.jdbc;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Creates the {@code sample_order} table and fills it with generated orders when it is
 * empty: {@code sample.jdbc.orders} rows (200,000 unless set), enough that loading them
 * whole with {@code queryForList} would take a few hundred megabytes.
 */
@Component
class OrderTable implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(OrderTable.class);

	private final JdbcTemplate jdbcTemplate;

	private final int orders;

	OrderTable(JdbcTemplate jdbcTemplate, @Value("${sample.jdbc.orders:200000}") int orders) {
		this.jdbcTemplate = jdbcTemplate;
		this.orders = orders;
	}

	@Override
	public void afterPropertiesSet() {
		this.jdbcTemplate.execute("create table if not exists sample_order (id bigint primary key, "
				+ "customer text not null, amount numeric(12, 2) not null, note text)");
		Long existing = this.jdbcTemplate.queryForObject("select count(*) from sample_order", Long.class);
		if (existing != null && existing > 0) {
			logger.info("sample_order holds {} orders", existing);
			return;
		}
		long start = System.nanoTime();
		this.jdbcTemplate.update("insert into sample_order select g, 'customer-' || (g % 1000), "
				+ "round((g % 9973) / 10.0, 2), case when g % 3 = 0 then null else repeat(md5(g::text), 4) end "
				+ "from generate_series(1, ?) g", this.orders);
		this.jdbcTemplate.execute("analyze sample_order");
		logger.info("sample_order filled with {} orders in {} ms", this.orders, (System.nanoTime() - start) / 1_000_000);
	}

}

package dev.memoryguard.jdbc;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowMapper;

/**
 * Batches read as keyset pages, one short query each.
 *
 * @param <T> the row type
 */
final class KeysetSource<T> implements BatchSource<T> {

	private final JdbcTemplate jdbcTemplate;

	private final KeysetQuery<T> query;

	private @Nullable Object lastKey;

	private int rowNum;

	private boolean exhausted;

	KeysetSource(JdbcTemplate jdbcTemplate, KeysetQuery<T> query) {
		this.jdbcTemplate = jdbcTemplate;
		this.query = query;
		this.lastKey = query.startAfter();
	}

	@Override
	public List<T> next(int max) {
		if (this.exhausted) {
			return new ArrayList<>(0);
		}
		List<T> page = page(max);
		if (page.size() < max) {
			this.exhausted = true;
		}
		if (!page.isEmpty()) {
			T last = page.get(page.size() - 1);
			Object key = this.query.keyOf(last);
			if (key == null) {
				throw new IllegalStateException("Key extractor of " + this.query + " returned null for " + last
						+ ": the key column must be unique and not null");
			}
			this.lastKey = key;
		}
		return page;
	}

	@Override
	public boolean hasMore() {
		if (this.exhausted) {
			return false;
		}
		String sql = (this.lastKey != null) ? this.query.nextPageSql() : this.query.firstPageSql();
		Boolean more = this.jdbcTemplate.query(sql, ResultSet::next, this.query.pageArgs(this.lastKey, 1));
		return Boolean.TRUE.equals(more);
	}

	private List<T> page(int max) {
		String sql = (this.lastKey != null) ? this.query.nextPageSql() : this.query.firstPageSql();
		ResultSetExtractor<List<T>> extractor = (rs) -> {
			List<T> rows = new ArrayList<>(max);
			RowMapper<T> mapper = this.query.rowMapper();
			while (rs.next()) {
				rows.add(mapper.mapRow(rs, this.rowNum++));
			}
			return rows;
		};
		List<T> rows = this.jdbcTemplate.query(sql, extractor, this.query.pageArgs(this.lastKey, max));
		return (rows != null) ? rows : new ArrayList<>(0);
	}

}

package dev.memoryguard.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.RowMapper;

/**
 * Batches read from an open result set, one row ahead at most.
 *
 * @param <T> the row type
 */
final class CursorSource<T> implements BatchSource<T> {

	private final ResultSet rs;

	private final RowMapper<T> mapper;

	private int rowNum;

	private boolean pending;

	private boolean exhausted;

	CursorSource(ResultSet rs, RowMapper<T> mapper) {
		this.rs = rs;
		this.mapper = mapper;
	}

	@Override
	public List<T> next(int max) throws SQLException {
		List<T> batch = new ArrayList<>(max);
		if (this.pending) {
			batch.add(map());
			this.pending = false;
		}
		while (batch.size() < max && !this.exhausted) {
			if (this.rs.next()) {
				batch.add(map());
			}
			else {
				this.exhausted = true;
			}
		}
		return batch;
	}

	@Override
	public boolean hasMore() throws SQLException {
		if (!this.pending && !this.exhausted) {
			this.pending = this.rs.next();
			this.exhausted = !this.pending;
		}
		return this.pending;
	}

	/**
	 * Returns whether the result set has been read to its end, so that closing it leaves
	 * no unread rows behind.
	 * @return whether every row was read
	 */
	boolean exhausted() {
		return this.exhausted;
	}

	private T map() throws SQLException {
		return this.mapper.mapRow(this.rs, this.rowNum++);
	}

}

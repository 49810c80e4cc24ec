package dev.memoryguard.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.util.Assert;

import dev.memoryguard.MemoryGuard;

/**
 * Reads query results in batches whose size follows memory pressure, instead of loading
 * them whole the way {@code JdbcTemplate.queryForList} does.
 * <ul>
 * <li>{@link #forEachBatch(String, RowMapper, Consumer, Object...) forEachBatch} streams
 * through one server-side cursor: the driver fetches {@value #FETCH_SIZE} rows at a time
 * (PostgreSQL streams only with auto-commit off, which this class handles), so the heap
 * holds one fetch and one batch, however large the result.</li>
 * <li>{@link #forEachPage(KeysetQuery, Consumer) forEachPage} walks keyset pages, one
 * short query per page and no transaction held across the run, for handlers that take
 * long or write back.</li>
 * </ul>
 * Before each batch the {@link MemoryGuard#pressure() pressure} is consulted: at WARNING
 * the batch size halves, down to the minimum; at NORMAL it doubles back up to the
 * configured size; at CRITICAL the run stops with a partial {@link BatchResult} (or waits
 * for recovery, see {@link BatchOptions#withWaitOnCritical}).
 * <p>
 * The handler gets a fresh list per batch and may keep it. Database errors surface as
 * Spring {@link DataAccessException}s translated by the {@link JdbcTemplate}'s exception
 * translator; an exception thrown by the handler reaches the caller as it was thrown.
 * Either way the cursor is closed and the connection returned with its original
 * auto-commit state. Without a surrounding transaction a call uses its own connection;
 * inside one it joins it.
 * <pre class="code">
 * BatchResult result = jdbc.forEachBatch("select id, email from customer where active = ?",
 *         (rs, rowNum) -&gt; new Customer(rs.getLong("id"), rs.getString("email")),
 *         (customers) -&gt; mailer.sendNewsletter(customers), true);
 * </pre>
 */
public class MemoryAwareJdbc {

	/**
	 * Rows the driver fetches per round trip from a cursor (more when the batch size is
	 * larger).
	 */
	public static final int FETCH_SIZE = 1000;

	private static final Logger logger = LoggerFactory.getLogger(MemoryAwareJdbc.class);

	private final JdbcTemplate jdbcTemplate;

	private final DataSource dataSource;

	private final MemoryGuard guard;

	private final int batchSize;

	private final int minBatchSize;

	/**
	 * Creates batches of 100 rows at most, 25 at least.
	 * @param jdbcTemplate the template whose data source, exception translator and query
	 * timeout are used
	 * @param guard the memory guard to consult between batches
	 */
	public MemoryAwareJdbc(JdbcTemplate jdbcTemplate, MemoryGuard guard) {
		this(jdbcTemplate, guard, 100, 25);
	}

	/**
	 * Creates batches of {@code batchSize} rows while memory is NORMAL, shrinking to
	 * {@code minBatchSize} under pressure.
	 * @param jdbcTemplate the template whose data source, exception translator and query
	 * timeout are used
	 * @param guard the memory guard to consult between batches
	 * @param batchSize the rows per batch while memory is NORMAL
	 * @param minBatchSize the smallest batch under pressure
	 */
	public MemoryAwareJdbc(JdbcTemplate jdbcTemplate, MemoryGuard guard, int batchSize, int minBatchSize) {
		DataSource dataSource = jdbcTemplate.getDataSource();
		Assert.notNull(dataSource, "jdbcTemplate must have a DataSource");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.isTrue(minBatchSize > 0 && minBatchSize <= batchSize, "minBatchSize must be between 1 and batchSize");
		this.jdbcTemplate = jdbcTemplate;
		this.dataSource = dataSource;
		this.guard = guard;
		this.batchSize = batchSize;
		this.minBatchSize = minBatchSize;
	}

	/**
	 * Streams the rows of {@code sql} through one server-side cursor and hands them to
	 * {@code handler} in memory-aware batches.
	 * @param <T> the row type
	 * @param sql the query, with positional {@code ?} arguments
	 * @param mapper maps one row; its row number counts from 0 over the whole run
	 * @param handler called once per batch with a fresh list
	 * @param args the argument values
	 * @return what the run did
	 * @throws DataAccessException when the database fails
	 */
	public <T> BatchResult forEachBatch(String sql, RowMapper<T> mapper, Consumer<List<T>> handler, Object... args) {
		return forEachBatch(BatchOptions.defaults(), sql, mapper, handler, args);
	}

	/**
	 * Streams the rows of {@code sql} through one server-side cursor and hands them to
	 * {@code handler} in memory-aware batches, with limits or waiting.
	 * @param <T> the row type
	 * @param options limits, batch size and waiting at CRITICAL
	 * @param sql the query, with positional {@code ?} arguments
	 * @param mapper maps one row; its row number counts from 0 over the whole run
	 * @param handler called once per batch with a fresh list
	 * @param args the argument values
	 * @return what the run did
	 * @throws DataAccessException when the database fails
	 */
	public <T> BatchResult forEachBatch(BatchOptions options, String sql, RowMapper<T> mapper,
			Consumer<List<T>> handler, Object... args) {
		BatchLoop<T> loop = new BatchLoop<>(this.guard, options, this.batchSize, this.minBatchSize,
				"MemoryAwareJdbc.forEachBatch");
		int fetchSize = Math.max(FETCH_SIZE, (options.batchSize() != null) ? options.batchSize() : this.batchSize);
		Connection con = DataSourceUtils.getConnection(this.dataSource);
		SQLException failure = null;
		try (Cursor cursor = new Cursor(con)) {
			ResultSet rs = cursor.open(sql, fetchSize, args);
			BatchResult result = loop.run(new CursorSource<>(rs, mapper), handler);
			cursor.finish();
			return result;
		}
		catch (SQLException ex) {
			failure = ex;
		}
		finally {
			DataSourceUtils.releaseConnection(con, this.dataSource);
		}
		// translated after the connection went back, as JdbcTemplate does
		throw translate("MemoryAwareJdbc.forEachBatch after " + loop.rows() + " rows", sql, failure);
	}

	/**
	 * Walks the rows of a keyset query page by page, one short query per page, and hands
	 * each page to {@code handler}. The page size follows memory pressure like the batch
	 * size of {@link #forEachBatch(String, RowMapper, Consumer, Object...)}.
	 * @param <T> the row type
	 * @param query the query
	 * @param handler called once per page with a fresh list
	 * @return what the run did
	 * @throws DataAccessException when the database fails
	 */
	public <T> BatchResult forEachPage(KeysetQuery<T> query, Consumer<List<T>> handler) {
		return forEachPage(BatchOptions.defaults(), query, handler);
	}

	/**
	 * Walks the rows of a keyset query page by page, with limits or waiting.
	 * @param <T> the row type
	 * @param options limits, batch size and waiting at CRITICAL
	 * @param query the query
	 * @param handler called once per page with a fresh list
	 * @return what the run did
	 * @throws DataAccessException when the database fails
	 */
	public <T> BatchResult forEachPage(BatchOptions options, KeysetQuery<T> query, Consumer<List<T>> handler) {
		BatchLoop<T> loop = new BatchLoop<>(this.guard, options, this.batchSize, this.minBatchSize,
				"MemoryAwareJdbc.forEachPage");
		try {
			return loop.run(new KeysetSource<>(this.jdbcTemplate, query), handler);
		}
		catch (SQLException ex) {
			throw translate("MemoryAwareJdbc.forEachPage", query.nextPageSql(), ex);
		}
	}

	private DataAccessException translate(String task, String sql, @Nullable SQLException ex) {
		Assert.state(ex != null, "No failure to translate");
		DataAccessException translated = this.jdbcTemplate.getExceptionTranslator().translate(task, sql, ex);
		return (translated != null) ? translated
				: new UncategorizedSQLException(task, sql, ex);
	}

	/**
	 * A statement and result set on a connection whose auto-commit is switched off while
	 * the cursor is open and restored on close.
	 */
	private final class Cursor implements AutoCloseable {

		private final Connection con;

		private @Nullable PreparedStatement statement;

		private @Nullable ResultSet resultSet;

		private boolean restoreAutoCommit;

		private boolean finished;

		Cursor(Connection con) {
			this.con = con;
		}

		ResultSet open(String sql, int fetchSize, Object[] args) throws SQLException {
			if (this.con.getAutoCommit()) {
				// PostgreSQL ignores the fetch size (and reads the whole result) in auto-commit mode
				this.con.setAutoCommit(false);
				this.restoreAutoCommit = true;
			}
			PreparedStatement ps = this.con.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY,
					ResultSet.CONCUR_READ_ONLY);
			this.statement = ps;
			ps.setFetchSize(fetchSize);
			DataSourceUtils.applyTimeout(ps, MemoryAwareJdbc.this.dataSource,
					MemoryAwareJdbc.this.jdbcTemplate.getQueryTimeout());
			new ArgumentPreparedStatementSetter(args).setValues(ps);
			ResultSet rs = ps.executeQuery();
			this.resultSet = rs;
			return rs;
		}

		void finish() throws SQLException {
			close(false);
			if (this.restoreAutoCommit) {
				// ends the read-only transaction opened for the cursor
				this.con.commit();
			}
			this.finished = true;
		}

		@Override
		public void close() {
			close(true);
		}

		private void close(boolean restore) {
			JdbcUtils.closeResultSet(this.resultSet);
			this.resultSet = null;
			JdbcUtils.closeStatement(this.statement);
			this.statement = null;
			if (restore && this.restoreAutoCommit) {
				this.restoreAutoCommit = false;
				try {
					if (!this.finished) {
						this.con.rollback();
					}
				}
				catch (SQLException | RuntimeException ex) {
					logger.debug("Could not roll back the cursor's transaction", ex);
				}
				try {
					this.con.setAutoCommit(true);
				}
				catch (SQLException | RuntimeException ex) {
					logger.debug("Could not restore auto-commit on the cursor's connection", ex);
				}
			}
		}

	}

	private static final class CursorSource<T> implements BatchSource<T> {

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

		private T map() throws SQLException {
			return this.mapper.mapRow(this.rs, this.rowNum++);
		}

	}

	private static final class KeysetSource<T> implements BatchSource<T> {

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

}

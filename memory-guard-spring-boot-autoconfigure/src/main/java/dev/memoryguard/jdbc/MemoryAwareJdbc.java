package dev.memoryguard.jdbc;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.util.Assert;

import dev.memoryguard.MemoryGuard;

/**
 * Reads query results in batches whose size follows memory pressure, instead of loading
 * them whole the way {@code JdbcTemplate.queryForList} does.
 * <ul>
 * <li>{@link #forEachBatch(String, RowMapper, Consumer, Object...) forEachBatch} streams
 * through one server-side cursor, set up the way the connection's driver needs it: a
 * cursor with auto-commit off on PostgreSQL, row streaming (fetch size
 * {@link Integer#MIN_VALUE}) on MySQL Connector/J unless its URL sets
 * {@code useCursorFetch=true}, a positive fetch size on MariaDB Connector/J. The heap
 * holds at most one fetch of {@value #FETCH_SIZE} rows and one batch, however large the
 * result.</li>
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
 * translator; an exception thrown by the handler reaches the caller as it was thrown (an
 * {@link Error} stays an {@code Error}), except a statement the handler ran on the
 * connection a MySQL or MariaDB stream holds: that becomes an
 * {@link InvalidDataAccessApiUsageException} saying so. Either way the cursor is closed
 * within the close timeout (the connection is aborted past it, and at once where closing
 * would read every unread row) and the connection returned with its original auto-commit
 * state; what failed while closing is added to the exception as suppressed. Without a
 * surrounding transaction a call uses its own connection; inside one it joins it.
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

	/**
	 * Longest a failed or stopped stream may take to close by default.
	 */
	public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(MemoryAwareJdbc.class);

	private final JdbcTemplate jdbcTemplate;

	private final JdbcTemplate pageTemplate;

	private final DataSource dataSource;

	private final MemoryGuard guard;

	private final int batchSize;

	private final int minBatchSize;

	private final Duration closeTimeout;

	private final AtomicReference<@Nullable StreamingMode> loggedMode = new AtomicReference<>();

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
		this(jdbcTemplate, guard, batchSize, minBatchSize, DEFAULT_CLOSE_TIMEOUT);
	}

	/**
	 * Creates batches of {@code batchSize} rows while memory is NORMAL, shrinking to
	 * {@code minBatchSize} under pressure, whose streams close within
	 * {@code closeTimeout} after a failure or an early stop.
	 * @param jdbcTemplate the template whose data source, exception translator and query
	 * timeout are used
	 * @param guard the memory guard to consult between batches
	 * @param batchSize the rows per batch while memory is NORMAL
	 * @param minBatchSize the smallest batch under pressure
	 * @param closeTimeout the longest a stream may take to close its cursor and give back
	 * its connection; past it the connection is aborted
	 */
	public MemoryAwareJdbc(JdbcTemplate jdbcTemplate, MemoryGuard guard, int batchSize, int minBatchSize,
			Duration closeTimeout) {
		DataSource dataSource = jdbcTemplate.getDataSource();
		Assert.notNull(dataSource, "jdbcTemplate must have a DataSource");
		Assert.isTrue(batchSize > 0, "batchSize must be positive");
		Assert.isTrue(minBatchSize > 0 && minBatchSize <= batchSize, "minBatchSize must be between 1 and batchSize");
		this.jdbcTemplate = jdbcTemplate;
		this.pageTemplate = pageTemplate(jdbcTemplate, dataSource);
		this.dataSource = dataSource;
		this.guard = guard;
		this.batchSize = batchSize;
		this.minBatchSize = minBatchSize;
		Assert.isTrue(!closeTimeout.isNegative() && !closeTimeout.isZero(), "closeTimeout must be positive");
		this.closeTimeout = closeTimeout;
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
	 * @throws DataAccessException when the database fails, or when the stream could not
	 * be closed
	 * @throws InvalidDataAccessApiUsageException when the handler ran a statement on the
	 * connection a MySQL or MariaDB stream holds
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
	 * @throws DataAccessException when the database fails, or when the stream could not
	 * be closed
	 * @throws InvalidDataAccessApiUsageException when the handler ran a statement on the
	 * connection a MySQL or MariaDB stream holds
	 */
	public <T> BatchResult forEachBatch(BatchOptions options, String sql, RowMapper<T> mapper,
			Consumer<List<T>> handler, Object... args) {
		BatchLoop<T> loop = new BatchLoop<>(this.guard, options, this.batchSize, this.minBatchSize,
				"MemoryAwareJdbc.forEachBatch");
		int fetchRows = Math.max(FETCH_SIZE, (options.batchSize() != null) ? options.batchSize() : this.batchSize);
		CleanupReserve.take();
		Connection con = DataSourceUtils.getConnection(this.dataSource);
		JdbcCursor cursor = new JdbcCursor(con, this.dataSource, this.closeTimeout);
		StreamingMode mode = null;
		String driver = "the driver";
		CursorSource<T> source = null;
		BatchResult result = null;
		Throwable failure = null;
		try {
			DatabaseMetaData metaData = con.getMetaData();
			driver = metaData.getDriverName() + " " + metaData.getDriverVersion();
			mode = StreamingMode.of(metaData);
			logMode(mode, driver, fetchRows);
			ResultSet rs = cursor.open(mode, driver, sql, fetchRows, this.jdbcTemplate.getQueryTimeout(), args);
			source = new CursorSource<>(rs, mapper);
			result = loop.run(source, handler);
		}
		catch (Throwable ex) {
			CleanupReserve.release(ex);
			failure = ex;
		}
		finally {
			try {
				cursor.close(loop.rows(), source != null && !source.exhausted(), failure);
			}
			finally {
				// also when closing ran out of memory itself
				DataSourceUtils.releaseConnection(con, this.dataSource);
			}
		}
		// translated after the connection went back, as JdbcTemplate does
		String task = "MemoryAwareJdbc.forEachBatch after " + loop.rows() + " rows";
		List<Throwable> problems = cursor.problems();
		if (failure == null) {
			Assert.state(result != null, "No result");
			if (!problems.isEmpty()) {
				Throwable first = problems.get(0);
				throw withSuppressed(new DataAccessResourceFailureException(
						task + ": could not close the stream: " + first.getMessage(), first),
						problems.subList(1, problems.size()));
			}
			return result;
		}
		Throwable thrown = failure;
		if (failure instanceof SQLException ex) {
			thrown = translate(task, sql, ex);
		}
		else if (mode != null) {
			InvalidDataAccessApiUsageException held = HeldConnectionFailures.translate(failure, mode, driver,
					mode.describe(fetchRows), loop.rows());
			if (held != null) {
				thrown = held;
			}
		}
		throw MemoryAwareJdbc.<RuntimeException>sneaky(withSuppressed(thrown, problems));
	}

	/**
	 * Walks the rows of a keyset query page by page, one short query per page, and hands
	 * each page to {@code handler}. The page size follows memory pressure like the batch
	 * size of {@link #forEachBatch(String, RowMapper, Consumer, Object...)}. Each page
	 * runs on the {@link JdbcTemplate} (so a surrounding transaction is joined, and none
	 * is held between pages otherwise); when a limit or memory pressure ends the run, one
	 * more single-row query tells an early stop from the natural end.
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
			return loop.run(new KeysetSource<>(this.pageTemplate, query), handler);
		}
		catch (SQLException ex) {
			throw translate("MemoryAwareJdbc.forEachPage", query.nextPageSql(), ex);
		}
	}

	private void logMode(StreamingMode mode, String driver, int fetchRows) {
		if (logger.isDebugEnabled() && this.loggedMode.getAndSet(mode) != mode) {
			logger.debug("MemoryAwareJdbc.forEachBatch on {}: {}", driver, mode.describe(fetchRows));
		}
	}

	private static <E extends Throwable> E withSuppressed(E thrown, List<Throwable> problems) {
		for (Throwable problem : problems) {
			if (problem != thrown) {
				try {
					thrown.addSuppressed(problem);
				}
				catch (Throwable ex) {
					// out of memory: the original failure matters more than the list
				}
			}
		}
		return thrown;
	}

	@SuppressWarnings("unchecked")
	private static <E extends Throwable> E sneaky(Throwable thrown) throws E {
		// rethrows the handler's own exception as it was thrown, checked or not
		throw (E) thrown;
	}

	/**
	 * Returns a template for keyset pages: the given one's translator and query timeout,
	 * but never its max rows (which would cut pages short and end the run early).
	 */
	private static JdbcTemplate pageTemplate(JdbcTemplate jdbcTemplate, DataSource dataSource) {
		if (jdbcTemplate.getMaxRows() <= 0) {
			return jdbcTemplate;
		}
		JdbcTemplate pages = new JdbcTemplate(dataSource);
		pages.setExceptionTranslator(jdbcTemplate.getExceptionTranslator());
		pages.setQueryTimeout(jdbcTemplate.getQueryTimeout());
		return pages;
	}

	private DataAccessException translate(String task, String sql, @Nullable SQLException ex) {
		Assert.state(ex != null, "No failure to translate");
		DataAccessException translated = this.jdbcTemplate.getExceptionTranslator().translate(task, sql, ex);
		return (translated != null) ? translated
				: new UncategorizedSQLException(task, sql, ex);
	}

}

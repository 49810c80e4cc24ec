package dev.memoryguard.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.SmartDataSource;

import dev.memoryguard.Durations;

/**
 * A statement and result set opened the way the driver streams ({@link StreamingMode}),
 * and closed in bounded time however the run ended.
 * <ul>
 * <li>After the last row: result set and statement closed, the transaction opened for
 * the cursor (PostgreSQL) committed, auto-commit restored.</li>
 * <li>With rows left unread or after a failure: rolled back instead, with the driver's
 * network timeout cut to the close timeout. A MySQL or MariaDB stream would read every
 * unread row on close, so on the call's own connection it is aborted instead (the pool
 * replaces the connection); on a connection that outlives the call (a surrounding
 * transaction's, a {@code SingleConnectionDataSource}'s) the statement is cancelled first
 * where the driver can (MariaDB), or the rest is read (MySQL Connector/J).</li>
 * <li>After a {@link VirtualMachineError} (such as {@link OutOfMemoryError}) the call's
 * own connection is aborted: the driver may have failed halfway through a message.</li>
 * </ul>
 * Whatever does not finish within the close timeout is ended by aborting the connection.
 */
final class JdbcCursor {

	private static final Logger logger = LoggerFactory.getLogger(JdbcCursor.class);

	private final Connection con;

	private final DataSource dataSource;

	private final Duration closeTimeout;

	// the connection outlives the call (a transaction's, or a SingleConnectionDataSource's): never aborted at once
	private final boolean shared;

	private final List<Throwable> problems = new ArrayList<>(0);

	private @Nullable StreamingMode mode;

	private @Nullable PreparedStatement statement;

	private @Nullable ResultSet resultSet;

	private @Nullable HeldConnectionGuard guard;

	private boolean restoreAutoCommit;

	private Closing closing = Closing.CLOSED;

	JdbcCursor(Connection con, DataSource dataSource, Duration closeTimeout) {
		this.con = con;
		this.dataSource = dataSource;
		this.closeTimeout = closeTimeout;
		this.shared = DataSourceUtils.isConnectionTransactional(con, dataSource)
				|| (dataSource instanceof SmartDataSource smart && !smart.shouldClose(con));
	}

	ResultSet open(StreamingMode mode, String driver, String sql, int fetchRows, int queryTimeout, Object[] args)
			throws SQLException {
		this.mode = mode;
		if (mode.switchesAutoCommit() && this.con.getAutoCommit()) {
			this.con.setAutoCommit(false);
			this.restoreAutoCommit = true;
		}
		PreparedStatement ps = this.con.prepareStatement(sql, ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY);
		this.statement = ps;
		ps.setFetchSize(mode.fetchSize(fetchRows));
		DataSourceUtils.applyTimeout(ps, this.dataSource, queryTimeout);
		new ArgumentPreparedStatementSetter(args).setValues(ps);
		ResultSet rs = ps.executeQuery();
		this.resultSet = rs;
		if (mode.holdsConnection()) {
			this.guard = HeldConnectionGuard.install(this.dataSource, this.con, driver);
		}
		return rs;
	}

	/**
	 * Closes the cursor in bounded time. Never throws: what went wrong is kept in
	 * {@link #problems()}.
	 * @param rows the rows handed over, for the log
	 * @param unread whether rows were left unread
	 * @param failure what ended the run, or {@code null}
	 * @return how the cursor was closed
	 */
	Closing close(long rows, boolean unread, @Nullable Throwable failure) {
		long start = System.nanoTime();
		if (this.guard != null) {
			step(this.guard::close);
		}
		boolean holds = this.mode != null && this.mode.holdsConnection();
		if (!this.shared && (failure instanceof VirtualMachineError || (unread && holds))) {
			abortNow();
		}
		else {
			closeInTime(unread, failure != null, holds && this.mode.cancelStopsStream());
		}
		if (logger.isDebugEnabled()) {
			logger.debug("MemoryAwareJdbc.forEachBatch: stream {} after {} rows ({}) in {} ms", this.closing.verb, rows,
					(failure != null) ? "failed: " + failure : (unread ? "stopped early" : "end of result"),
					TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		}
		return this.closing;
	}

	/**
	 * Returns what failed while closing, in order.
	 * @return the failures
	 */
	List<Throwable> problems() {
		return this.problems;
	}

	private void abortNow() {
		SQLException failed = ConnectionAborts.abort(this.con);
		if (failed != null) {
			// the driver cannot abort: close the ordinary way, still under the deadline
			this.problems.add(failed);
			closeInTime(true, true, false);
			return;
		}
		this.closing = Closing.ABORTED;
		quietly(this.resultSet);
		quietly(this.statement);
		ConnectionAborts.evict(this.dataSource, this.con);
	}

	private void closeInTime(boolean unread, boolean failed, boolean cancel) {
		ConnectionAborts.Deadline deadline = ConnectionAborts.deadline(this.con, this.closeTimeout);
		Integer networkTimeout = (unread || failed) ? shortenNetworkTimeout() : null;
		PreparedStatement ps = this.statement;
		if (cancel && unread && ps != null) {
			step(ps::cancel);
			this.closing = Closing.CANCELLED;
			// after a cancel the driver reports the interrupted query while closing
			quietly(this.resultSet);
		}
		else if (this.resultSet != null) {
			step(this.resultSet::close);
		}
		if (ps != null) {
			step(ps::close);
		}
		if (this.restoreAutoCommit) {
			step((unread || failed) ? this.con::rollback : this.con::commit);
			step(() -> this.con.setAutoCommit(true));
		}
		if (networkTimeout != null) {
			step(() -> this.con.setNetworkTimeout(Runnable::run, networkTimeout));
		}
		if (!deadline.finish()) {
			this.closing = Closing.ABORTED;
			// the reason first, then what failed because of the abort
			this.problems.add(0, new SQLTimeoutException("Closing the stream took longer than "
					+ "memory-guard.jdbc.close-timeout (" + Durations.format(this.closeTimeout)
					+ "): the connection was aborted"));
			ConnectionAborts.evict(this.dataSource, this.con);
		}
		else if (!this.problems.isEmpty() && !this.shared) {
			// never give the pool back a connection whose state is unknown
			if (ConnectionAborts.abort(this.con) == null) {
				this.closing = Closing.ABORTED;
				ConnectionAborts.evict(this.dataSource, this.con);
			}
		}
	}

	private @Nullable Integer shortenNetworkTimeout() {
		try {
			int previous = this.con.getNetworkTimeout();
			this.con.setNetworkTimeout(Runnable::run, (int) Math.min(Integer.MAX_VALUE, this.closeTimeout.toMillis()));
			return previous;
		}
		catch (SQLException | RuntimeException | LinkageError ex) {
			// not every driver has a network timeout; the deadline still bounds the cleanup
			return null;
		}
	}

	private void step(Step step) {
		try {
			step.run();
		}
		catch (Throwable ex) {
			this.problems.add(ex);
		}
	}

	private static void quietly(@Nullable AutoCloseable closeable) {
		if (closeable != null) {
			try {
				closeable.close();
			}
			catch (Throwable ex) {
				logger.trace("Closing after an abort or a cancel failed as expected", ex);
			}
		}
	}

	/**
	 * How a cursor was closed.
	 */
	enum Closing {

		/**
		 * Closed the ordinary way.
		 */
		CLOSED("closed"),

		/**
		 * The statement was cancelled before the result set was closed.
		 */
		CANCELLED("cancelled"),

		/**
		 * The connection was aborted.
		 */
		ABORTED("aborted");

		private final String verb;

		Closing(String verb) {
			this.verb = verb;
		}

	}

	@FunctionalInterface
	private interface Step {

		void run() throws Exception;

	}

}

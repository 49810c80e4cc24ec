package dev.memoryguard.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.util.ClassUtils;

/**
 * Aborts connections whose stream cannot be closed in time: at once, or from a watchdog
 * once a cleanup has run past its deadline. An aborted connection is closed at the socket
 * (a read blocked on it fails at once) and, in a Hikari pool, evicted so that the pool
 * never hands it out again.
 */
final class ConnectionAborts {

	private static final Logger logger = LoggerFactory.getLogger(ConnectionAborts.class);

	private static final boolean HIKARI_PRESENT = ClassUtils.isPresent("com.zaxxer.hikari.HikariDataSource",
			ConnectionAborts.class.getClassLoader());

	private static final ScheduledThreadPoolExecutor watchdog = watchdog();

	// an abort may open a connection of its own (MariaDB sends KILL), so it never runs on the watchdog thread
	private static final ExecutorService aborts = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 30, TimeUnit.SECONDS,
			new SynchronousQueue<>(), daemon("memory-guard-jdbc-abort"));

	private ConnectionAborts() {
	}

	/**
	 * Aborts {@code con} now, on the calling thread where the driver allows it.
	 * @param con the connection
	 * @return the failure of the abort, or {@code null}
	 */
	static @Nullable SQLException abort(Connection con) {
		return abort(con, Runnable::run);
	}

	/**
	 * Starts a deadline for a cleanup on {@code con}: unless {@link Deadline#finish()} is
	 * called within {@code timeout}, the connection is aborted.
	 * @param con the connection
	 * @param timeout the time the cleanup may take
	 * @return the deadline
	 */
	static Deadline deadline(Connection con, Duration timeout) {
		Deadline deadline = new Deadline();
		deadline.future = watchdog.schedule(() -> {
			if (deadline.expired.compareAndSet(false, true)) {
				aborts.execute(() -> abort(con, aborts));
			}
		}, timeout.toNanos(), TimeUnit.NANOSECONDS);
		return deadline;
	}

	/**
	 * Evicts an aborted connection from its pool where the pool allows it (Hikari), so
	 * that it is closed when released rather than handed to the next caller.
	 * @param dataSource the data source the connection came from
	 * @param con the aborted connection
	 */
	static void evict(DataSource dataSource, Connection con) {
		if (!HIKARI_PRESENT) {
			return;
		}
		try {
			Hikari.evict(dataSource, con);
		}
		catch (SQLException | RuntimeException ex) {
			logger.debug("Could not evict the aborted connection from its pool", ex);
		}
	}

	private static @Nullable SQLException abort(Connection con, Executor executor) {
		try {
			con.abort(executor);
			return null;
		}
		catch (SQLException ex) {
			logger.debug("Could not abort the connection", ex);
			return ex;
		}
		catch (RuntimeException ex) {
			logger.debug("Could not abort the connection", ex);
			return new SQLException("Could not abort the connection", ex);
		}
	}

	private static ScheduledThreadPoolExecutor watchdog() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, daemon("memory-guard-jdbc-close"));
		executor.setRemoveOnCancelPolicy(true);
		executor.setKeepAliveTime(30, TimeUnit.SECONDS);
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	private static ThreadFactory daemon(String name) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * A running deadline of one cleanup.
	 */
	static final class Deadline {

		private final AtomicBoolean expired = new AtomicBoolean();

		private @Nullable ScheduledFuture<?> future;

		/**
		 * Ends the deadline.
		 * @return {@code true} when the cleanup finished in time, {@code false} when the
		 * connection was aborted
		 */
		boolean finish() {
			if (this.expired.compareAndSet(false, true)) {
				ScheduledFuture<?> scheduled = this.future;
				if (scheduled != null) {
					scheduled.cancel(false);
				}
				return true;
			}
			return false;
		}

	}

	/**
	 * Kept apart so that Hikari is loaded only when present.
	 */
	private static final class Hikari {

		static void evict(DataSource dataSource, Connection con) throws SQLException {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				dataSource.unwrap(HikariDataSource.class).evictConnection(con);
			}
		}

	}

}

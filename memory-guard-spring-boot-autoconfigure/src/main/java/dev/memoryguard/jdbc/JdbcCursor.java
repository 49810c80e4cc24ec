package dev.memoryguard.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.JdbcUtils;

/**
 * A statement and result set on a connection whose auto-commit is switched off while
 * the cursor is open (PostgreSQL streams only then) and restored on close; the
 * transaction opened for it is committed by {@link #finish()} and rolled back by a close
 * without one.
 */
final class JdbcCursor implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(JdbcCursor.class);

	private final Connection con;

	private final DataSource dataSource;

	private final int queryTimeout;

	private @Nullable PreparedStatement statement;

	private @Nullable ResultSet resultSet;

	private boolean restoreAutoCommit;

	private boolean finished;

	JdbcCursor(Connection con, DataSource dataSource, int queryTimeout) {
		this.con = con;
		this.dataSource = dataSource;
		this.queryTimeout = queryTimeout;
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
		DataSourceUtils.applyTimeout(ps, this.dataSource, this.queryTimeout);
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

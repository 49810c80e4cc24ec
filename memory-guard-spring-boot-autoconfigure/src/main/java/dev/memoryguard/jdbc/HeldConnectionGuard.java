package dev.memoryguard.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Date;
import java.util.Set;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.ConnectionProxy;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * While a stream holds a transaction's connection (MySQL and MariaDB streaming), binds a
 * stand-in for that connection to the transaction, so that a statement the handler runs
 * through Spring ({@code JdbcTemplate}, {@code JdbcClient}, repositories) is refused with
 * a {@link HeldConnectionException} instead of reaching the driver: MySQL Connector/J
 * would refuse it with a generic message, MariaDB Connector/J would first read the rest
 * of the result into memory. Closing the guard binds the transaction's own holder again.
 */
final class HeldConnectionGuard implements AutoCloseable {

	// calls that never send anything to the server
	private static final Set<String> ALLOWED = Set.of("equals", "hashCode", "toString", "unwrap", "isWrapperFor",
			"getTargetConnection", "getMetaData", "getAutoCommit", "isReadOnly", "getTransactionIsolation",
			"getHoldability", "getCatalog", "getSchema", "getWarnings", "clearWarnings", "isClosed", "getClientInfo",
			"getTypeMap", "getNetworkTimeout", "close", "abort");

	private final DataSource dataSource;

	private final ConnectionHolder original;

	private final ConnectionHolder standIn;

	private HeldConnectionGuard(DataSource dataSource, ConnectionHolder original, ConnectionHolder standIn) {
		this.dataSource = dataSource;
		this.original = original;
		this.standIn = standIn;
	}

	/**
	 * Binds a stand-in for {@code con} when it is the connection of the current
	 * transaction.
	 * @param dataSource the data source the connection came from
	 * @param con the connection the stream reads from
	 * @param driver the driver's name, for the refusal's message
	 * @return the guard to close when the stream is closed, or {@code null} when the
	 * connection belongs to no transaction
	 */
	static @Nullable HeldConnectionGuard install(DataSource dataSource, Connection con, String driver) {
		if (!DataSourceUtils.isConnectionTransactional(con, dataSource)
				|| !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder original)) {
			return null;
		}
		ConnectionHolder standIn = new ConnectionHolder(refusing(con, driver), true);
		standIn.setSynchronizedWithTransaction(original.isSynchronizedWithTransaction());
		Date deadline = original.getDeadline();
		if (deadline != null) {
			standIn.setTimeoutInMillis(Math.max(1, deadline.getTime() - System.currentTimeMillis()));
		}
		if (original.isRollbackOnly()) {
			standIn.setRollbackOnly();
		}
		TransactionSynchronizationManager.unbindResource(dataSource);
		TransactionSynchronizationManager.bindResource(dataSource, standIn);
		return new HeldConnectionGuard(dataSource, original, standIn);
	}

	@Override
	public void close() {
		if (TransactionSynchronizationManager.getResource(this.dataSource) == this.standIn) {
			TransactionSynchronizationManager.unbindResource(this.dataSource);
			TransactionSynchronizationManager.bindResource(this.dataSource, this.original);
		}
		if (this.standIn.isRollbackOnly()) {
			this.original.setRollbackOnly();
		}
	}

	private static Connection refusing(Connection con, String driver) {
		return (Connection) Proxy.newProxyInstance(HeldConnectionGuard.class.getClassLoader(),
				new Class<?>[] { ConnectionProxy.class }, (proxy, method, args) -> {
					String name = method.getName();
					if (name.equals("getTargetConnection")) {
						return con;
					}
					if (name.equals("equals")) {
						return proxy == args[0];
					}
					if (name.equals("hashCode")) {
						return System.identityHashCode(proxy);
					}
					if (!ALLOWED.contains(name)) {
						throw new HeldConnectionException(driver, name);
					}
					return invoke(con, method, args);
				});
	}

	private static @Nullable Object invoke(Connection con, Method method, @Nullable Object[] args) throws Throwable {
		try {
			return method.invoke(con, args);
		}
		catch (InvocationTargetException ex) {
			throw ex.getTargetException();
		}
	}

	/**
	 * A statement refused because an open stream holds the connection.
	 */
	static final class HeldConnectionException extends SQLException {

		private static final long serialVersionUID = 1L;

		HeldConnectionException(String driver, String call) {
			super("Connection." + call + " refused: MemoryAwareJdbc.forEachBatch is streaming from this connection ("
					+ driver + ") and the open stream holds it until it is closed");
		}

	}

}

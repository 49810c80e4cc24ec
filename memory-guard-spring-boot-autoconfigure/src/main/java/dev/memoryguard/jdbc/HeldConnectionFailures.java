package dev.memoryguard.jdbc;

import java.sql.SQLException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.InvalidDataAccessApiUsageException;

/**
 * Recognises a handler that ran a statement on the connection its stream holds, and
 * turns that into an exception saying why and what to do instead.
 */
final class HeldConnectionFailures {

	private HeldConnectionFailures() {
	}

	/**
	 * Returns the exception to throw in place of {@code thrown} when it was caused by a
	 * statement refused because the stream holds the connection.
	 * @param thrown what the handler threw
	 * @param mode the stream's mode
	 * @param driver the driver's name and version
	 * @param stream what the stream does, from {@link StreamingMode#describe(int)}
	 * @param rows the rows handed over before
	 * @return the exception to throw, or {@code null} when {@code thrown} has another
	 * cause
	 */
	static @Nullable InvalidDataAccessApiUsageException translate(Throwable thrown, StreamingMode mode, String driver,
			String stream, long rows) {
		if (!mode.holdsConnection()) {
			return null;
		}
		SQLException refusal = refusal(thrown);
		if (refusal == null) {
			return null;
		}
		return new InvalidDataAccessApiUsageException("The handler of MemoryAwareJdbc.forEachBatch ran a statement "
				+ "on the connection the stream reads from, after " + rows + " rows. With " + driver + " the stream ("
				+ stream + ") holds its connection until its last row is read, so no other statement "
				+ "can run on it. Run the handler's statements on a second connection (outside the surrounding "
				+ "transaction, for example in a REQUIRES_NEW transaction), or read with forEachPage, whose keyset "
				+ "pages hold no connection between pages.", refusal);
	}

	private static @Nullable SQLException refusal(Throwable thrown) {
		Throwable cause = thrown;
		for (int depth = 0; cause != null && depth < 20; depth++) {
			if (cause instanceof HeldConnectionGuard.HeldConnectionException held) {
				return held;
			}
			if (cause instanceof SQLException ex && isStreamingInUse(ex)) {
				return ex;
			}
			cause = cause.getCause();
		}
		return null;
	}

	// MySQL Connector/J: "Streaming result set ... is still active. No statements may be issued when ..."
	private static boolean isStreamingInUse(SQLException ex) {
		String message = ex.getMessage();
		if (message == null) {
			return false;
		}
		String text = message.toLowerCase(Locale.ROOT);
		return text.contains("streaming result set") && text.contains("still active");
	}

}

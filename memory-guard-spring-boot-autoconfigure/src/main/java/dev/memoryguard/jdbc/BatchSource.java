package dev.memoryguard.jdbc;

import java.sql.SQLException;
import java.util.List;

/**
 * Where a {@link BatchLoop} takes its batches from: a cursor, keyset pages or an
 * iterator.
 *
 * @param <T> the item type
 */
interface BatchSource<T> {

	/**
	 * Reads up to {@code max} items into a fresh list. Fewer than {@code max} means the
	 * source is exhausted.
	 * @param max the most items to read, at least 1
	 * @return a new list
	 * @throws SQLException when the database fails
	 */
	List<T> next(int max) throws SQLException;

	/**
	 * Returns whether at least one more item would follow. Called only when the run is
	 * about to stop early, to tell a stop from a natural end.
	 * @return {@code true} when the source is not exhausted
	 * @throws SQLException when the database fails
	 */
	boolean hasMore() throws SQLException;

}

package dev.memoryguard.jdbc;

import java.util.Arrays;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.util.Assert;

/**
 * A query that {@link MemoryAwareJdbc#forEachPage(KeysetQuery, java.util.function.Consumer)}
 * walks in keyset pages: a plain {@code select} (with its own {@code where} and positional
 * {@code ?} arguments, without {@code order by} or {@code limit}), the column the pages
 * are ordered by, a row mapper and a function that reads that key back from a mapped row.
 * Each page is one short query of the form
 * <pre class="code">
 * select * from (&lt;sql&gt;) keyset_page where &lt;key&gt; &gt; ? order by &lt;key&gt; limit ?
 * </pre>
 * so the key must be unique and never null among the selected rows (a primary key is
 * ideal), and an index on it keeps every page cheap however deep the run goes.
 * <pre class="code">
 * KeysetQuery&lt;Order&gt; open = KeysetQuery
 *     .of("select id, customer, total from orders where status = ?", "id", orderMapper, Order::id)
 *     .withArgs("OPEN");
 * </pre>
 *
 * @param <T> the row type
 */
public final class KeysetQuery<T> {

	private static final Pattern IDENTIFIER = Pattern
		.compile("[A-Za-z_][A-Za-z0-9_$]*|\"([^\"]|\"\")+\"|`([^`]|``)+`");

	private static final Object[] NO_ARGS = {};

	private final String sql;

	private final String keyColumn;

	private final RowMapper<T> rowMapper;

	private final Function<? super T, ?> keyExtractor;

	private final Object[] args;

	private final @Nullable Object startAfter;

	private KeysetQuery(String sql, String keyColumn, RowMapper<T> rowMapper, Function<? super T, ?> keyExtractor,
			Object[] args, @Nullable Object startAfter) {
		this.sql = sql;
		this.keyColumn = keyColumn;
		this.rowMapper = rowMapper;
		this.keyExtractor = keyExtractor;
		this.args = args;
		this.startAfter = startAfter;
	}

	/**
	 * Returns a keyset query.
	 * @param <T> the row type
	 * @param sql a {@code select} without {@code order by} or {@code limit}; it may use
	 * positional arguments, see {@link #withArgs(Object...)}
	 * @param keyColumn the name of a unique, non-null column of the select's result
	 * (a plain, double-quoted or, for MySQL and MariaDB, backtick-quoted SQL identifier)
	 * @param rowMapper maps one row
	 * @param keyExtractor returns the key of a mapped row
	 * @return the query
	 */
	public static <T> KeysetQuery<T> of(String sql, String keyColumn, RowMapper<T> rowMapper,
			Function<? super T, ?> keyExtractor) {
		Assert.hasText(sql, "sql must not be empty");
		Assert.isTrue(IDENTIFIER.matcher(keyColumn).matches(),
				() -> "keyColumn must be a plain, double-quoted or backtick-quoted SQL identifier, not '" + keyColumn
						+ "'");
		String trimmed = sql.strip();
		if (trimmed.endsWith(";")) {
			trimmed = trimmed.substring(0, trimmed.length() - 1);
		}
		return new KeysetQuery<>(trimmed, keyColumn, rowMapper, keyExtractor, NO_ARGS, null);
	}

	/**
	 * Returns a copy with values for the positional arguments of the sql.
	 * @param args the argument values
	 * @return the new query
	 */
	public KeysetQuery<T> withArgs(Object... args) {
		return new KeysetQuery<>(this.sql, this.keyColumn, this.rowMapper, this.keyExtractor, args.clone(),
				this.startAfter);
	}

	/**
	 * Returns a copy that starts after {@code key} instead of at the first row, for
	 * example to resume a run that {@link BatchResult#stoppedEarly() stopped early}.
	 * @param key the last key already processed
	 * @return the new query
	 */
	public KeysetQuery<T> startingAfter(Object key) {
		return new KeysetQuery<>(this.sql, this.keyColumn, this.rowMapper, this.keyExtractor, this.args, key);
	}

	/**
	 * Returns the select the pages are cut from.
	 * @return the sql
	 */
	public String sql() {
		return this.sql;
	}

	/**
	 * Returns the key column.
	 * @return the key column
	 */
	public String keyColumn() {
		return this.keyColumn;
	}

	RowMapper<T> rowMapper() {
		return this.rowMapper;
	}

	@Nullable Object keyOf(T row) {
		return this.keyExtractor.apply(row);
	}

	@Nullable Object startAfter() {
		return this.startAfter;
	}

	String firstPageSql() {
		return "select * from (" + this.sql + ") keyset_page order by " + this.keyColumn + " limit ?";
	}

	String nextPageSql() {
		return "select * from (" + this.sql + ") keyset_page where " + this.keyColumn + " > ? order by "
				+ this.keyColumn + " limit ?";
	}

	Object[] pageArgs(@Nullable Object after, int limit) {
		Object[] all = Arrays.copyOf(this.args, this.args.length + ((after != null) ? 2 : 1));
		if (after != null) {
			all[this.args.length] = after;
		}
		all[all.length - 1] = limit;
		return all;
	}

	@Override
	public String toString() {
		return "KeysetQuery[" + nextPageSql() + "]";
	}

}

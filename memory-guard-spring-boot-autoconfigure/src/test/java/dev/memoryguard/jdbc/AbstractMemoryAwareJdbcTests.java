package dev.memoryguard.jdbc;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.LongStream;

import com.zaxxer.hikari.HikariDataSource;
import org.awaitility.Awaitility;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

import org.springframework.dao.DataAccessException;
import org.springframework.dao.InvalidDataAccessApiUsageException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import dev.memoryguard.ManualMemoryProbe;
import dev.memoryguard.MemoryGuard;
import dev.memoryguard.MemoryPressure;
import dev.memoryguard.MemoryThresholds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for {@link MemoryAwareJdbc} against a real server; subclasses say which server and
 * driver.
 */
@TestInstance(Lifecycle.PER_CLASS)
abstract class AbstractMemoryAwareJdbcTests {

	private static final int ROWS = 1000;

	private static final String ORDERED = "select id, grp, label, amount from mg_item "
			+ "order by grp desc, case when label is null then 0 else 1 end, label, id";

	private static final RowMapper<Item> ITEM = (rs, rowNum) -> new Item(rs.getLong("id"), rs.getInt("grp"),
			rs.getString("label"), rs.getBigDecimal("amount"));

	private HikariDataSource pool;

	private JdbcTemplate jdbcTemplate;

	private ManualMemoryProbe probe;

	private MemoryGuard guard;

	private MemoryAwareJdbc jdbc;

	private JdbcServer server;

	private JdbcTemplate admin;

	/**
	 * Returns the server under test, with the driver its URL picks.
	 * @return the server
	 */
	abstract JdbcServer server();

	/**
	 * Returns the streaming mode the driver should get.
	 * @return the mode
	 */
	abstract StreamingMode expectedMode();

	@BeforeAll
	void createTables() {
		this.server = server();
		this.admin = this.server.admin();
		this.pool = this.server.pool("memory-aware-jdbc-tests", 3);
		this.jdbcTemplate = new JdbcTemplate(this.pool);
		this.jdbcTemplate.execute("drop table if exists mg_item");
		this.jdbcTemplate.execute("create table mg_item (id bigint primary key, grp int not null, label text, "
				+ "amount numeric(10, 2))");
		// inserted in random order, ten rows per group, some labels and amounts null
		this.jdbcTemplate.update("insert into mg_item select g, floor(g / 10), case when g % 7 = 0 then null else "
				+ "concat('item-', g % 13) end, case when g % 5 = 0 then null else g * 1.5 end "
				+ "from " + this.server.series(ROWS) + " order by " + this.server.random());
		this.jdbcTemplate.execute("drop table if exists mg_empty");
		this.jdbcTemplate.execute("create table mg_empty (id bigint primary key, grp int not null, label text, "
				+ "amount numeric(10, 2))");
	}

	@AfterAll
	void closePool() {
		this.pool.close();
	}

	@BeforeEach
	void startGuard() {
		this.probe = new ManualMemoryProbe();
		this.guard = new MemoryGuard(this.probe, MemoryThresholds.DEFAULTS,
				Duration.ofMinutes(1));
		this.guard.start();
		this.jdbc = new MemoryAwareJdbc(this.jdbcTemplate, this.guard, 100, 25);
	}

	@AfterEach
	void stopGuardAndCheckForLeaks() {
		this.guard.stop();
		assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero();
		// an aborted session may take the server a moment to end
		Awaitility.await()
			.atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(this.server.openTransactions(this.admin)).isZero());
	}

	@Test
	void forEachBatchHandsEveryRowOnceInQueryOrderWithTiesAndNulls() {
		List<Item> expected = this.jdbcTemplate.query(ORDERED, ITEM);
		List<Item> seen = new ArrayList<>();
		List<Integer> sizes = new ArrayList<>();
		BatchResult result = this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
			sizes.add(batch.size());
			seen.addAll(batch);
		});
		assertThat(seen).hasSize(ROWS).containsExactlyElementsOf(expected);
		assertThat(seen).filteredOn((item) -> item.label() == null).hasSize(ROWS / 7);
		assertThat(seen).filteredOn((item) -> item.amount() == null).hasSize(ROWS / 5);
		assertThat(sizes).hasSize(10).containsOnly(100);
		assertThat(result).isEqualTo(new BatchResult(ROWS, 10, false, null, 100));
	}

	@Test
	void forEachBatchBindsArgumentsAndCountsRowNumbersOverTheWholeRun() {
		List<Integer> rowNums = new ArrayList<>();
		List<Long> ids = new ArrayList<>();
		BatchResult result = this.jdbc.forEachBatch("select id from mg_item where grp between ? and ? order by id",
				(rs, rowNum) -> {
					rowNums.add(rowNum);
					return rs.getLong(1);
				}, ids::addAll, 10, 29);
		assertThat(ids).containsExactlyElementsOf(this.jdbcTemplate
			.queryForList("select id from mg_item where grp between 10 and 29 order by id", Long.class));
		assertThat(rowNums).containsExactlyElementsOf(IntStream.range(0, ids.size()).boxed().toList());
		assertThat(result.rows()).isEqualTo(200);
		assertThat(result.batches()).isEqualTo(2);
	}

	@Test
	void handlerGetsAFreshListPerBatchThatItMayKeep() {
		List<List<Item>> kept = new ArrayList<>();
		this.jdbc.forEachBatch(ORDERED, ITEM, kept::add);
		assertThat(kept).hasSize(10);
		assertThat(kept.stream().flatMap(List::stream).toList())
			.containsExactlyElementsOf(this.jdbcTemplate.query(ORDERED, ITEM));
		assertThat(kept.get(0)).isNotSameAs(kept.get(1));
		kept.get(0).clear();
		assertThat(kept.get(1)).hasSize(100);
	}

	@Test
	void forEachPageHandsEveryRowOnceInKeyOrder() {
		KeysetQuery<Item> query = KeysetQuery
			.of("select id, grp, label, amount from mg_item where grp >= ?", "id", ITEM, Item::id)
			.withArgs(3);
		List<Item> seen = new ArrayList<>();
		BatchResult result = this.jdbc.forEachPage(query, seen::addAll);
		List<Item> expected = this.jdbcTemplate
			.query("select id, grp, label, amount from mg_item where grp >= 3 order by id", ITEM);
		assertThat(seen).hasSize(ROWS - 29).containsExactlyElementsOf(expected);
		assertThat(seen).filteredOn((item) -> item.label() == null).isNotEmpty();
		assertThat(result).isEqualTo(new BatchResult(ROWS - 29, 10, false, null, 100));
	}

	@Test
	void forEachPageEndsCleanlyWhenTheLastPageIsFull() {
		KeysetQuery<Item> query = KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id);
		List<Item> seen = new ArrayList<>();
		BatchResult result = this.jdbc.forEachPage(query, seen::addAll);
		assertThat(seen).extracting(Item::id)
			.containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
		assertThat(result).isEqualTo(new BatchResult(ROWS, 10, false, null, 100));
	}

	@Test
	void forEachPageResumesAfterAGivenKey() {
		KeysetQuery<Item> query = KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id)
			.startingAfter(950L);
		List<Long> ids = new ArrayList<>();
		this.jdbc.forEachPage(query, (page) -> page.forEach((item) -> ids.add(item.id())));
		assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(951, ROWS).boxed().toList());
	}

	@Test
	void maxRowsOfTheJdbcTemplateDoesNotCutKeysetPagesShort() {
		JdbcTemplate limited = new JdbcTemplate(this.pool);
		limited.setMaxRows(10);
		MemoryAwareJdbc onLimited = new MemoryAwareJdbc(limited, this.guard, 100, 25);
		List<Long> ids = new ArrayList<>();
		BatchResult result = onLimited.forEachPage(
				KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id),
				(page) -> page.forEach((item) -> ids.add(item.id())));
		assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
		assertThat(result).isEqualTo(new BatchResult(ROWS, 10, false, null, 100));
	}

	@Test
	void forEachPageHoldsNoTransactionAcrossTheRun() {
		KeysetQuery<Item> query = KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id);
		List<Integer> activeDuringHandler = new ArrayList<>();
		this.jdbc.forEachPage(query, (page) -> activeDuringHandler
			.add(this.pool.getHikariPoolMXBean().getActiveConnections()));
		assertThat(activeDuringHandler).hasSize(10).containsOnly(0);
	}

	@Test
	void emptyTableGivesAnEmptyCompleteResult() {
		AtomicInteger calls = new AtomicInteger();
		BatchResult cursor = this.jdbc.forEachBatch("select id, grp, label, amount from mg_empty order by id", ITEM,
				(batch) -> calls.incrementAndGet());
		BatchResult pages = this.jdbc.forEachPage(
				KeysetQuery.of("select id, grp, label, amount from mg_empty", "id", ITEM, Item::id),
				(batch) -> calls.incrementAndGet());
		assertThat(calls).hasValue(0);
		assertThat(cursor).isEqualTo(new BatchResult(0, 0, false, null, 100));
		assertThat(pages).isEqualTo(new BatchResult(0, 0, false, null, 100));
	}

	@Test
	void rowLimitStopsEarlyWithThatManyRows() {
		List<Item> seen = new ArrayList<>();
		BatchResult result = this.jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(250), ORDERED, ITEM,
				seen::addAll);
		assertThat(seen).containsExactlyElementsOf(this.jdbcTemplate.query(ORDERED, ITEM).subList(0, 250));
		assertThat(result).isEqualTo(new BatchResult(250, 3, true, "row limit of 250 reached", 100));
	}

	@Test
	void limitsThatMatchTheRowCountAreNotAnEarlyStop() {
		BatchResult rows = this.jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(ROWS), ORDERED, ITEM,
				(batch) -> {
				});
		BatchResult batches = this.jdbc.forEachPage(BatchOptions.defaults().withMaxBatches(10),
				KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id), (batch) -> {
				});
		assertThat(rows).isEqualTo(new BatchResult(ROWS, 10, false, null, 100));
		assertThat(batches).isEqualTo(new BatchResult(ROWS, 10, false, null, 100));
	}

	@Test
	void batchLimitStopsKeysetPagesEarly() {
		List<Long> ids = new ArrayList<>();
		BatchResult result = this.jdbc.forEachPage(BatchOptions.defaults().withMaxBatches(3).withBatchSize(40),
				KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id),
				(page) -> page.forEach((item) -> ids.add(item.id())));
		assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(1, 120).boxed().toList());
		assertThat(result).isEqualTo(new BatchResult(120, 3, true, "batch limit of 3 reached", 40));
	}

	@Test
	void batchSizeHalvesAtWarningAndGrowsBackAtNormal() {
		List<Integer> sizes = new ArrayList<>();
		List<Item> seen = new ArrayList<>();
		BatchResult result = this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
			sizes.add(batch.size());
			seen.addAll(batch);
			if (sizes.size() == 2) {
				this.probe.setPressure(MemoryPressure.WARNING);
			}
			if (sizes.size() == 5) {
				this.probe.setPressure(MemoryPressure.NORMAL);
			}
		});
		assertThat(sizes).startsWith(100, 100, 50, 25, 25, 50, 100, 100);
		assertThat(seen).containsExactlyElementsOf(this.jdbcTemplate.query(ORDERED, ITEM));
		assertThat(result.rows()).isEqualTo(ROWS);
		assertThat(result.stoppedEarly()).isFalse();
		assertThat(result.smallestBatch()).isEqualTo(25);
	}

	@Test
	void keysetPagesShrinkAtWarningToo() {
		List<Integer> sizes = new ArrayList<>();
		List<Long> ids = new ArrayList<>();
		BatchResult result = this.jdbc.forEachPage(
				KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id), (page) -> {
					sizes.add(page.size());
					page.forEach((item) -> ids.add(item.id()));
					if (sizes.size() == 1) {
						this.probe.setPressure(MemoryPressure.WARNING);
					}
				});
		assertThat(sizes).startsWith(100, 50, 25, 25);
		assertThat(ids).containsExactlyElementsOf(LongStream.rangeClosed(1, ROWS).boxed().toList());
		assertThat(result.smallestBatch()).isEqualTo(25);
	}

	@Test
	void criticalStopsTheRunWithAPartialResult() {
		List<Item> seen = new ArrayList<>();
		BatchResult result = this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
			seen.addAll(batch);
			if (seen.size() == 300) {
				this.probe.setPressure(MemoryPressure.CRITICAL);
			}
		});
		assertThat(seen).containsExactlyElementsOf(this.jdbcTemplate.query(ORDERED, ITEM).subList(0, 300));
		assertThat(result.rows()).isEqualTo(300);
		assertThat(result.batches()).isEqualTo(3);
		assertThat(result.stoppedEarly()).isTrue();
		assertThat(result.stopReason()).startsWith("memory pressure CRITICAL after 300 rows in 3 batches");
	}

	@Test
	void criticalBeforeTheFirstKeysetPageReadsNothing() {
		this.probe.setPressure(MemoryPressure.CRITICAL);
		AtomicInteger calls = new AtomicInteger();
		BatchResult result = this.jdbc.forEachPage(
				KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id),
				(page) -> calls.incrementAndGet());
		assertThat(calls).hasValue(0);
		assertThat(result.stoppedEarly()).isTrue();
		assertThat(result.rows()).isZero();
		assertThat(result.stopReason()).contains("CRITICAL");
	}

	@Test
	void waitingAtCriticalResumesWhenMemoryRecovers() throws InterruptedException {
		List<Item> seen = new CopyOnWriteArrayList<>();
		Thread recovery = new Thread(() -> {
			try {
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				return;
			}
			this.probe.setPressure(MemoryPressure.NORMAL);
		});
		BatchResult result = this.jdbc.forEachBatch(BatchOptions.defaults().withWaitOnCritical(Duration.ofSeconds(20)),
				ORDERED, ITEM, (batch) -> {
					seen.addAll(batch);
					if (seen.size() == 200) {
						this.probe.setPressure(MemoryPressure.CRITICAL);
						recovery.start();
					}
				});
		recovery.join(5000);
		assertThat(seen).containsExactlyElementsOf(this.jdbcTemplate.query(ORDERED, ITEM));
		assertThat(result).isEqualTo(new BatchResult(ROWS, 10, false, null, 100));
	}

	@Test
	void waitingAtCriticalGivesUpAfterTheTimeout() {
		BatchResult result = this.jdbc.forEachBatch(
				BatchOptions.defaults().withWaitOnCritical(Duration.ofMillis(200)), ORDERED, ITEM, (batch) -> {
					this.probe.setPressure(MemoryPressure.CRITICAL);
				});
		assertThat(result.rows()).isEqualTo(100);
		assertThat(result.stoppedEarly()).isTrue();
		assertThat(result.stopReason()).contains("still CRITICAL after waiting PT0.2S");
	}

	@Test
	void handlerExceptionReachesTheCallerAsThrownAndReleasesTheConnection() {
		IllegalStateException failure = new IllegalStateException("handler failed");
		AtomicInteger calls = new AtomicInteger();
		assertThatIllegalStateException().isThrownBy(() -> this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
			if (calls.incrementAndGet() == 2) {
				throw failure;
			}
		})).isSameAs(failure);
		assertThat(calls).hasValue(2);
		assertThatIllegalStateException()
			.isThrownBy(() -> this.jdbc.forEachPage(
					KeysetQuery.of("select id, grp, label, amount from mg_item", "id", ITEM, Item::id), (page) -> {
						throw failure;
					}))
			.isSameAs(failure);
	}

	@Test
	void badSqlSurfacesAsDataAccessException() {
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.forEachBatch("select no_such_column from mg_item", ITEM, (batch) -> {
			}))
			.withMessageContaining("no_such_column");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.forEachPage(KeysetQuery.of("select * from no_such_table", "id", ITEM, Item::id),
					(page) -> {
					}))
			.withMessageContaining("no_such_table");
	}

	@Test
	void autoCommitIsRestoredOnEveryPath() throws SQLException {
		for (boolean autoCommit : new boolean[] { true, false }) {
			try (Connection raw = DriverManager.getConnection(this.server.url(), this.server.user(),
					this.server.password())) {
				raw.setAutoCommit(autoCommit);
				SingleConnectionDataSource single = new SingleConnectionDataSource(raw, true);
				MemoryAwareJdbc onOneConnection = new MemoryAwareJdbc(new JdbcTemplate(single), this.guard, 100, 25);
				boolean whileStreaming = autoCommit && !expectedMode().switchesAutoCommit();
				onOneConnection.forEachBatch(ORDERED, ITEM,
						(batch) -> assertThat(autoCommitOf(raw)).isEqualTo(whileStreaming));
				assertThat(raw.getAutoCommit()).isEqualTo(autoCommit);
				assertThatIllegalStateException().isThrownBy(() -> onOneConnection.forEachBatch(ORDERED, ITEM, (batch) -> {
					throw new IllegalStateException("handler failed");
				}));
				assertThat(raw.getAutoCommit()).isEqualTo(autoCommit);
				// fails while executing, on every server
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> onOneConnection.forEachBatch(
							"select id, grp, label, amount from mg_item where id = (select id from mg_item)", ITEM,
							(batch) -> {
							}));
				if (!autoCommit) {
					raw.rollback();
				}
				assertThat(raw.getAutoCommit()).isEqualTo(autoCommit);
			}
		}
	}

	@Test
	void forEachBatchJoinsASurroundingTransaction() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
		List<Long> seen = new ArrayList<>();
		transaction.executeWithoutResult((status) -> {
			this.jdbcTemplate.update("insert into mg_item values (?, 0, 'uncommitted', null)", 1_000_001L);
			this.jdbc.forEachBatch("select id from mg_item where id > ?", (rs, rowNum) -> rs.getLong(1), seen::addAll,
					ROWS);
			assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isOne();
			status.setRollbackOnly();
		});
		assertThat(seen).containsExactly(1_000_001L);
		assertThat(this.jdbcTemplate.queryForObject("select count(*) from mg_item", Integer.class)).isEqualTo(ROWS);
	}

	@Test
	void connectionKilledMidStreamGivesADataAccessExceptionAndLeaksNothing() {
		String sql = "select g as id, repeat('x', 100) as label from " + this.server.series(100_000) + " order by g";
		AtomicInteger batches = new AtomicInteger();
		try (HikariDataSource one = this.server.pool("memory-aware-jdbc-kill", 1)) {
			JdbcTemplate onOne = new JdbcTemplate(one);
			long session = this.server.sessionId(onOne);
			MemoryAwareJdbc jdbc = new MemoryAwareJdbc(onOne, this.guard, 100, 25);
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> jdbc.forEachBatch(sql, (rs, rowNum) -> rs.getLong(1), (batch) -> {
					if (batches.incrementAndGet() == 1) {
						this.server.kill(this.admin, session);
					}
				}))
				.withMessageContaining("MemoryAwareJdbc.forEachBatch after ")
				.withMessageContaining("repeat('x', 100)");
			assertThat(batches.get()).isBetween(1, 100000 / 100 - 1);
			assertThat(one.getHikariPoolMXBean().getActiveConnections()).isZero();
			BatchResult again = jdbc.forEachBatch("select id from mg_item", (rs, rowNum) -> rs.getLong(1), (batch) -> {
			});
			assertThat(again.rows()).isEqualTo(ROWS);
		}
	}

	@Test
	void forEachBatchSaysOnceAtDebugWhichWayTheDriverStreams() {
		try (DebugLog log = new DebugLog()) {
			MemoryAwareJdbc fresh = new MemoryAwareJdbc(this.jdbcTemplate, this.guard, 100, 25);
			fresh.forEachBatch(ORDERED, ITEM, (batch) -> {
			});
			fresh.forEachBatch(ORDERED, ITEM, (batch) -> {
			});
			assertThat(log.lines("MemoryAwareJdbc.forEachBatch on ")).singleElement()
				.asString()
				.endsWith(": " + expectedMode().describe(MemoryAwareJdbc.FETCH_SIZE));
			assertThat(log.lines("stream closed after 1000 rows (end of result)")).hasSize(2);
		}
	}

	@Test
	void earlyStopOnALargeResultClosesWithoutReadingTheRest() {
		String sql = "select g, repeat('x', 100) from " + this.server.series(50_000) + " order by g";
		try (DebugLog log = new DebugLog()) {
			BatchResult result = this.jdbc.forEachBatch(BatchOptions.defaults().withMaxRows(1000), sql,
					(rs, rowNum) -> rs.getLong(1), (batch) -> {
					});
			assertThat(result).isEqualTo(new BatchResult(1000, 10, true, "row limit of 1000 reached", 100));
			// MySQL and MariaDB streams would read the other 49,000 rows on close: the connection is aborted instead
			String closing = expectedMode().holdsConnection() ? "aborted" : "closed";
			assertThat(log.lines("stream " + closing + " after 1000 rows (stopped early)")).hasSize(1);
		}
		assertThat(this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
		}).rows()).isEqualTo(ROWS);
	}

	@Test
	void errorThrownByTheHandlerStaysTheSameErrorAndTheConnectionGoesBack() {
		OutOfMemoryError failure = new OutOfMemoryError("handler ran out of memory");
		AtomicInteger calls = new AtomicInteger();
		try (DebugLog log = new DebugLog()) {
			assertThatThrownBy(() -> this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
				if (calls.incrementAndGet() == 3) {
					throw failure;
				}
			})).isSameAs(failure);
			// the driver's state is unknown after an Error: the connection is aborted, not reused
			assertThat(log.lines("stream aborted after 300 rows (failed: java.lang.OutOfMemoryError")).hasSize(1);
		}
		assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero();
		assertThat(this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
		}).rows()).isEqualTo(ROWS);
	}

	@Test
	void interruptStopsTheRunBetweenBatchesAndStaysSet() {
		List<Item> seen = new ArrayList<>();
		try {
			BatchResult result = this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
				seen.addAll(batch);
				if (seen.size() == 200) {
					Thread.currentThread().interrupt();
				}
			});
			assertThat(Thread.currentThread().isInterrupted()).isTrue();
			assertThat(result).isEqualTo(new BatchResult(200, 2, true, "interrupted after 200 rows", 100));
		}
		finally {
			Thread.interrupted();
		}
		assertThat(seen).containsExactlyElementsOf(this.jdbcTemplate.query(ORDERED, ITEM).subList(0, 200));
	}

	@Test
	void statementOfTheHandlerOnTheStreamsConnectionRunsOnlyWhereTheStreamDoesNotHoldIt() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
		List<Integer> counts = new ArrayList<>();
		String count = "select count(*) from mg_item";
		Runnable run = () -> transaction.executeWithoutResult((status) -> this.jdbc.forEachBatch(ORDERED, ITEM,
				(batch) -> counts.add(this.jdbcTemplate.queryForObject(count, Integer.class))));
		if (!expectedMode().holdsConnection()) {
			run.run();
			assertThat(counts).hasSize(10).containsOnly(ROWS);
			return;
		}
		assertThatExceptionOfType(InvalidDataAccessApiUsageException.class).isThrownBy(run::run)
			.withMessageContaining("ran a statement on the connection the stream reads from, after 100 rows")
			.withMessageContaining("second connection")
			.withMessageContaining("forEachPage")
			.withCauseInstanceOf(SQLException.class);
		assertThat(counts).isEmpty();
	}

	@Test
	void transactionJoinedByAStreamIsItsOwnAgainAfterwards() {
		TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(this.pool));
		Integer seen = transaction.execute((status) -> {
			this.jdbcTemplate.update("insert into mg_item values (?, 0, 'uncommitted', null)", 1_000_002L);
			this.jdbc.forEachBatch(ORDERED, ITEM, (batch) -> {
			});
			Integer count = this.jdbcTemplate.queryForObject("select count(*) from mg_item", Integer.class);
			status.setRollbackOnly();
			return count;
		});
		assertThat(seen).isEqualTo(ROWS + 1);
		assertThat(this.jdbcTemplate.queryForObject("select count(*) from mg_item", Integer.class)).isEqualTo(ROWS);
	}

	/**
	 * Returns the server's administrator template.
	 * @return the template
	 */
	JdbcTemplate admin() {
		return this.admin;
	}

	/**
	 * Returns the pool of the tests.
	 * @return the pool
	 */
	HikariDataSource pool() {
		return this.pool;
	}

	/**
	 * Returns a template on the pool of the tests.
	 * @return the template
	 */
	JdbcTemplate jdbcTemplate() {
		return this.jdbcTemplate;
	}

	/**
	 * Returns the guard of the current test.
	 * @return the guard
	 */
	MemoryGuard guard() {
		return this.guard;
	}

	private static boolean autoCommitOf(Connection connection) {
		try {
			return connection.getAutoCommit();
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	record Item(long id, int grp, @Nullable String label, @Nullable BigDecimal amount) {

	}

}

package dev.memoryguard.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jol.info.GraphLayout;
import tools.jackson.databind.json.JsonMapper;

import dev.memoryguard.cache.ObjectSizeEstimator;

/**
 * Cost of weighing one cache value, averaged over a corpus of {@value #VALUES} realistic
 * values (DTO records, lists of DTOs, maps, byte arrays, nested structures):
 * memory-guard's {@link ObjectSizeEstimator} against JOL's {@code GraphLayout} (exact,
 * slow) and the length of the value's Jackson JSON (fast, but far from the heap size).
 * The {@code *Order} methods weigh one typical DTO alone: an order record with its
 * customer and five lines (about 30 objects). Prints each method's total bytes over the
 * corpus once, so accuracy can be compared.
 * <p>
 * Run with: {@code ./mvnw -q -pl benchmarks -am package -DskipTests && java -jar
 * benchmarks/target/benchmarks.jar ObjectSizeEstimatorBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ObjectSizeEstimatorBenchmark {

	static final int VALUES = 10;

	static {
		// JOL reads record fields through reflection instead of Unsafe offsets
		System.setProperty("jol.magicFieldOffset", "true");
	}

	private Object[] values;

	private Object order;

	private ObjectSizeEstimator estimator;

	private JsonMapper json;

	@Setup
	public void setUp() {
		this.values = CacheValueCorpus.values();
		if (this.values.length != VALUES) {
			throw new IllegalStateException("Corpus has " + this.values.length + " values, expected " + VALUES);
		}
		this.order = CacheValueCorpus.order(3);
		this.estimator = new ObjectSizeEstimator();
		this.json = JsonMapper.builder().build();
		long estimated = 0;
		long exact = 0;
		long jsonLength = 0;
		for (Object value : this.values) {
			estimated += this.estimator.estimate(value);
			exact += GraphLayout.parseInstance(value).totalSize();
			jsonLength += this.json.writeValueAsBytes(value).length;
		}
		System.out.printf("%ncorpus bytes: jol %d, estimator %d (%.3f), json length %d (%.3f)%n", exact, estimated,
				(double) estimated / exact, jsonLength, (double) jsonLength / exact);
	}

	@Benchmark
	@OperationsPerInvocation(VALUES)
	public long estimator() {
		return weigh(this.values);
	}

	@Benchmark
	@OperationsPerInvocation(VALUES)
	public long jolGraphLayout() {
		long total = 0;
		for (Object value : this.values) {
			total += GraphLayout.parseInstance(value).totalSize();
		}
		return total;
	}

	@Benchmark
	@OperationsPerInvocation(VALUES)
	public long jacksonJsonLength() {
		return jsonLength(this.values);
	}

	/**
	 * Weighs values built just before, as a cache {@code put} does: the first identity
	 * hash of each object (the walk's identity set) is paid here, not in
	 * {@link #estimator()}, which weighs the same values again and again.
	 * @param fresh a new copy of the corpus
	 * @return the total bytes
	 */
	@Benchmark
	@OperationsPerInvocation(VALUES)
	public long estimatorFreshValues(FreshCorpus fresh) {
		return weigh(fresh.values);
	}

	/**
	 * Writes values built just before as JSON, the counterpart of
	 * {@link #estimatorFreshValues}.
	 * @param fresh a new copy of the corpus
	 * @return the total length
	 */
	@Benchmark
	@OperationsPerInvocation(VALUES)
	public long jacksonJsonLengthFreshValues(FreshCorpus fresh) {
		return jsonLength(fresh.values);
	}

	@Benchmark
	public long estimatorOrder() {
		return this.estimator.estimate(this.order);
	}

	@Benchmark
	public long jolGraphLayoutOrder() {
		return GraphLayout.parseInstance(this.order).totalSize();
	}

	@Benchmark
	public long jacksonJsonLengthOrder() {
		return this.json.writeValueAsBytes(this.order).length;
	}

	private long weigh(Object[] values) {
		long total = 0;
		for (Object value : values) {
			total += this.estimator.estimate(value);
		}
		return total;
	}

	private long jsonLength(Object[] values) {
		long total = 0;
		for (Object value : values) {
			total += this.json.writeValueAsBytes(value).length;
		}
		return total;
	}

	/**
	 * A copy of the corpus built before each invocation, outside the measured time.
	 */
	@State(Scope.Thread)
	public static class FreshCorpus {

		Object[] values;

		@Setup(Level.Invocation)
		public void build() {
			this.values = CacheValueCorpus.values();
		}

	}

}

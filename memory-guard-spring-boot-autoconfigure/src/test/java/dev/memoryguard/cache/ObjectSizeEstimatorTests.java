package dev.memoryguard.cache;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.openjdk.jol.info.GraphLayout;

import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link ObjectSizeEstimator}.
 */
class ObjectSizeEstimatorTests {

	static {
		// JOL reads record fields through reflection instead of Unsafe offsets
		System.setProperty("jol.magicFieldOffset", "true");
	}

	private final ObjectSizeEstimator estimator = new ObjectSizeEstimator();

	@Test
	void estimateIsWithinTwentyPercentOfJolForEveryCorpusValue() {
		StringBuilder report = new StringBuilder();
		List<String> outside = new ArrayList<>();
		for (Map.Entry<String, Object> entry : EstimatorCorpus.values().entrySet()) {
			long actual = GraphLayout.parseInstance(entry.getValue()).totalSize();
			long estimated = this.estimator.estimate(entry.getValue());
			double ratio = (double) estimated / actual;
			report.append(String.format("%-32s jol %8d estimate %8d ratio %.3f%n", entry.getKey(), actual, estimated,
					ratio));
			if (Math.abs(ratio - 1) > 0.20) {
				outside.add(entry.getKey());
			}
		}
		System.out.println(report);
		assertThat(outside).as(report.toString()).isEmpty();
	}

	@Test
	void cyclesAndSharedReferencesAreCountedOnce() {
		Node first = new Node("first");
		Node second = new Node("second");
		first.next = second;
		second.next = first;
		first.shared = second.shared = new byte[1000];
		long estimated = this.estimator.estimate(first);
		assertThat(estimated).isEqualTo(GraphLayout.parseInstance(first).totalSize());
	}

	@Test
	void enumsClassesClassLoadersAndThreadsCountNothing() {
		assertThat(this.estimator.estimate(EstimatorCorpus.Status.PAID)).isZero();
		assertThat(this.estimator.estimate(String.class)).isZero();
		assertThat(this.estimator.estimate(getClass().getClassLoader())).isZero();
		assertThat(this.estimator.estimate(Thread.currentThread())).isZero();
	}

	@Test
	void nullCountsNothing() {
		assertThat(this.estimator.estimate(null)).isZero();
	}

	@Test
	void primitiveArraysAreExact() {
		for (Object array : new Object[] { new byte[0], new byte[13], new int[7], new long[5], new double[1000] }) {
			assertThat(this.estimator.estimate(array)).isEqualTo(GraphLayout.parseInstance(array).totalSize());
		}
	}

	@Test
	void hugeArraysAreSampledAndStillClose() {
		Object[] huge = new Object[500_000];
		for (int i = 0; i < huge.length; i++) {
			huge[i] = new long[] { i };
		}
		long actual = GraphLayout.parseInstance((Object) huge).totalSize();
		long estimated = this.estimator.estimate(huge);
		assertThat((double) estimated / actual).isCloseTo(1.0, within(0.05));
		// sampled: a walk allowed to expand only 2000 objects reaches the same estimate
		assertThat(new ObjectSizeEstimator(2_000).estimate(huge)).isEqualTo(estimated);
		List<Object> hugeList = new ArrayList<>(List.of(huge));
		assertThat(new ObjectSizeEstimator(2_000).estimate(hugeList)).isEqualTo(this.estimator.estimate(hugeList));
	}

	@Test
	void largeCollectionsAreSampledWithoutCountingWhatTheirElementsShareMoreThanOnce() {
		Node parent = new Node("parent");
		parent.shared = new byte[100_000];
		List<Node> children = new ArrayList<>();
		for (int i = 0; i < 5_000; i++) {
			Node child = new Node("child " + i);
			child.next = parent;
			children.add(child);
		}
		Map<String, List<Node>> byGroup = new HashMap<>();
		for (int i = 0; i < 100; i++) {
			byGroup.put("group " + i, new ArrayList<>(children.subList(i * 50, i * 50 + 50)));
		}
		assertWithinFivePercentOfJol(children, byGroup, children.toArray());
	}

	@Test
	void elementsOfManySizesAreSampledLongerAndStayClose() {
		List<String> strings = new ArrayList<>();
		for (int i = 0; i < 20_000; i++) {
			strings.add("x".repeat(i * 7919 % 1000));
		}
		// filled one by one: a set copied from 20,000 duplicates keeps a table sized for them
		Set<String> set = new HashSet<>();
		set.addAll(strings);
		assertWithinFivePercentOfJol(strings, set);
	}

	@Test
	void mapsWhoseIterationOrderFollowsTheSizeOfTheirValuesAreSampledOverTheirWholeIteration() {
		// sequential keys hash to neighbouring buckets: the first entries iterated hold
		// values of neighbouring sizes
		Map<String, String> bySequentialKey = new HashMap<>();
		TreeMap<Integer, String> sorted = new TreeMap<>();
		for (int i = 0; i < 2000; i++) {
			bySequentialKey.put("key-" + i, "v".repeat(i));
			sorted.put(i, "v".repeat(i));
		}
		assertWithinFivePercentOfJol(bySequentialKey, sorted);
	}

	@Test
	void recordsAndFinalClassesAreReadByGeneratedReaders() {
		Field[] fields = ClassShape.of(EstimatorCorpus.Customer.class, JvmLayout.CURRENT).references;
		BiConsumer<Object, Consumer<Object>> reader = FieldReaders.create(EstimatorCorpus.Customer.class, fields);
		assertThat(reader).isNotNull();
		EstimatorCorpus.Customer customer = EstimatorCorpus.customer(3);
		List<Object> values = new ArrayList<>();
		reader.accept(customer, values::add);
		assertThat(values).hasSize(fields.length);
		for (int i = 0; i < fields.length; i++) {
			assertThat(values.get(i)).isSameAs(ReflectionTestUtils.getField(customer, fields[i].getName()));
		}
	}

	@Test
	void inheritedFieldsAreReadByOneGeneratedReaderPerDeclaringClass() {
		Special special = new Special("a name", new byte[300]);
		Field[] fields = ClassShape.of(Special.class, JvmLayout.CURRENT).references;
		BiConsumer<Object, Consumer<Object>> reader = FieldReaders.create(Special.class, fields);
		assertThat(reader).isNotNull();
		List<Object> values = new ArrayList<>();
		reader.accept(special, values::add);
		assertThat(values).containsExactlyInAnyOrder(special.payload, "a name");
		assertThat(this.estimator.estimate(special)).isEqualTo(GraphLayout.parseInstance(special).totalSize());
	}

	@Test
	void classesClosedToReflectionGetNoGeneratedReader() throws Exception {
		Field[] fields = { String.class.getDeclaredField("value") };
		assertThat(FieldReaders.create(String.class, fields)).isNull();
	}

	@Test
	void objectBudgetBoundsTheWalkOfALongChain() {
		ObjectSizeEstimator small = new ObjectSizeEstimator(1000);
		Node head = new Node("0");
		Node tail = head;
		for (int i = 1; i < 20_000; i++) {
			tail.next = new Node(Integer.toString(i));
			tail = tail.next;
		}
		long full = new ObjectSizeEstimator(1_000_000).estimate(head);
		long capped = small.estimate(head);
		// the capped walk expands 1000 objects and counts the shallow size of what is left pending
		assertThat(capped).isLessThan(full / 10).isPositive();
		assertThat(full).isCloseTo(GraphLayout.parseInstance(head).totalSize(), within(full / 100));
	}

	@Test
	void estimateIsReentrantFromAnotherThread() throws Exception {
		Object value = EstimatorCorpus.values().get("list of 20 customers");
		long here = this.estimator.estimate(value);
		long[] there = new long[1];
		Thread thread = new Thread(() -> there[0] = this.estimator.estimate(value));
		thread.start();
		thread.join(10_000);
		assertThat(there[0]).isEqualTo(here).isEqualTo(this.estimator.estimate(value));
	}

	private void assertWithinFivePercentOfJol(Object... values) {
		for (Object value : values) {
			long actual = GraphLayout.parseInstance(value).totalSize();
			assertThat((double) this.estimator.estimate(value) / actual).as(value.getClass().getName())
				.isCloseTo(1.0, within(0.05));
		}
	}

	static class Named {

		private final String name;

		Named(String name) {
			this.name = name;
		}

	}

	static final class Special extends Named {

		private final byte[] payload;

		Special(String name, byte[] payload) {
			super(name);
			this.payload = payload;
		}

	}

	static final class Node {

		final String name;

		Node next;

		byte[] shared;

		Node(String name) {
			this.name = name;
		}

	}

}

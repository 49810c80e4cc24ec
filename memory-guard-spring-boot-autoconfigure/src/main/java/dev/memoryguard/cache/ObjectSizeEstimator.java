package dev.memoryguard.cache;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Estimates the bytes an object graph retains on the heap: the deep size of a cache
 * value, for byte-bounded caches.
 * <p>
 * The walk is iterative (no recursion, so deep chains cannot overflow the stack) and
 * counts every object once (an identity set: cycles and shared references are counted
 * once). Shallow sizes come from a layout model of the running JVM (header, reference
 * and alignment sizes read from HotSpot's flags) and are worked out once per class.
 * <ul>
 * <li>Classes whose fields can be opened to reflection (application classes, records)
 * are walked field by field, read by a small class generated for each of them (see
 * {@link FieldReaders}) or reflectively where none can be defined.</li>
 * <li>JDK classes cannot be opened on JDK 17+ without {@code --add-opens}: strings are
 * sized from their length and coder, JDK collections and maps are walked through their
 * public API with their internal arrays and nodes estimated from their known shapes, and
 * common value types ({@code BigDecimal}, {@code LocalDateTime}, ...) through their
 * accessors. Other closed classes count their shallow size.</li>
 * <li>Enum constants, {@code Class} objects, class loaders and threads are shared by the
 * whole JVM and count nothing.</li>
 * <li>In a GraalVM native image, which defines no class at run time, fields are read
 * reflectively; a class that is not registered for reflection shows no fields there and
 * counts its shallow size (said once in a warning that names the first such class).</li>
 * <li>Arrays and collections longer than {@value #SAMPLE_ABOVE} elements are sampled:
 * their elements are walked one at a time until the mean size per element is known to
 * within 2% (at once for elements of one shape, later for elements that differ, after
 * 1024 at most), and the rest is extrapolated. A walk stops expanding after
 * {@code maxObjects} objects (what remains counts its shallow size), so a huge or strange
 * graph costs a bounded time.</li>
 * </ul>
 * Instances are thread-safe.
 */
public final class ObjectSizeEstimator {

	/**
	 * Arrays and collections with more elements than this are sampled.
	 */
	public static final int SAMPLE_ABOVE = ElementSample.MIN_WALKED;

	/**
	 * Nested samples walked at most; deeper arrays and collections are walked whole.
	 */
	private static final int MAX_SAMPLING_DEPTH = 16;

	/**
	 * Objects expanded by one estimate unless a constructor says otherwise.
	 */
	public static final int DEFAULT_MAX_OBJECTS = 50_000;

	private static final ObjectSizeEstimator SHARED = new ObjectSizeEstimator();

	private final JvmLayout layout;

	private final JdkStructures structures;

	private final int maxObjects;

	private final FieldAccess access;

	private final long stringShallow;

	private final ClassValue<ClassShape> shapes = new ClassValue<>() {

		@Override
		protected ClassShape computeValue(Class<?> type) {
			return ClassShape.of(type, ObjectSizeEstimator.this.layout, ObjectSizeEstimator.this.access);
		}

	};

	private final ThreadLocal<Walk> walks = ThreadLocal.withInitial(Walk::new);

	/**
	 * Creates an estimator for the running JVM with the default object budget.
	 */
	public ObjectSizeEstimator() {
		this(DEFAULT_MAX_OBJECTS);
	}

	/**
	 * Creates an estimator for the running JVM.
	 * @param maxObjects objects one estimate expands before it counts only shallow sizes
	 */
	public ObjectSizeEstimator(int maxObjects) {
		this(JvmLayout.CURRENT, maxObjects);
	}

	ObjectSizeEstimator(JvmLayout layout, int maxObjects) {
		this(layout, maxObjects, FieldAccess.current());
	}

	ObjectSizeEstimator(JvmLayout layout, int maxObjects, FieldAccess access) {
		Assert.isTrue(maxObjects > 0, "maxObjects must be positive");
		this.layout = layout;
		this.structures = new JdkStructures(layout);
		this.maxObjects = maxObjects;
		this.access = access;
		this.stringShallow = ClassShape.of(String.class, layout, access).shallowSize;
	}

	/**
	 * Returns an estimator shared by the whole application.
	 * @return the shared estimator
	 */
	public static ObjectSizeEstimator shared() {
		return SHARED;
	}

	/**
	 * Returns the estimated bytes retained by {@code root} and everything it reaches.
	 * @param root the object, may be {@code null}
	 * @return the estimated deep size in bytes, {@code 0} for {@code null}
	 */
	public long estimate(@Nullable Object root) {
		if (root == null) {
			return 0;
		}
		Walk walk = this.walks.get();
		if (walk.busy) {
			// a collection's iterator estimating again on the same thread
			walk = new Walk();
		}
		walk.busy = true;
		try {
			return Math.round(walk.run(root));
		}
		finally {
			walk.reset();
		}
	}

	private long magnitude(BigInteger integer) {
		return this.layout.arraySize(4, integer.bitLength() / 32 + 1);
	}

	/**
	 * One thread's walk, reused from estimate to estimate: a stack of objects still to
	 * expand and an identity set of the objects already counted.
	 * <p>
	 * Objects without references (strings, primitive arrays, opaque JDK values) are
	 * counted when they are reached rather than pushed. The elements of a large array or
	 * collection are walked one at a time, each to the end, so that the size each one adds
	 * is known (see {@link ElementSample}).
	 */
	private final class Walk implements Consumer<Object>, BiConsumer<Object, Object> {

		private static final int INITIAL = 64;

		private Object[] objects = new Object[INITIAL];

		private ClassShape[] pending = new ClassShape[INITIAL];

		private int top;

		private Object[] seen = new Object[INITIAL * 2];

		private int[] slots = new int[INITIAL];

		private int seenCount;

		private double total;

		private int expanded;

		private int samplingDepth;

		boolean busy;

		double run(Object root) {
			visit(root);
			drain(0);
			return this.total;
		}

		/**
		 * Counts what {@code object} takes unless it was counted before: objects without
		 * references at once, others when they are expanded.
		 */
		void visit(@Nullable Object object) {
			if (object instanceof String string) {
				// most objects in a cache value are strings: no shape to look up
				if (add(string)) {
					this.total += stringSize(string);
				}
			}
			else if (object != null) {
				visit(object, shape(object.getClass()));
			}
		}

		private void visit(Object object, ClassShape shape) {
			// if-chains on the kind, most frequent first: cheaper than a switch's ordinal()
			ClassShape.Kind kind = shape.kind;
			if (kind == ClassShape.Kind.SHARED || !add(object)) {
				return;
			}
			if (kind == ClassShape.Kind.STRING) {
				this.total += stringSize((String) object);
			}
			else if (shape.leaf) {
				this.total += shape.shallowSize;
			}
			else if (kind == ClassShape.Kind.PRIMITIVE_ARRAY) {
				this.total += ObjectSizeEstimator.this.layout.arraySize(shape.elementSize, Array.getLength(object));
			}
			else if (kind == ClassShape.Kind.JDK_VALUE) {
				// no expansion needed: its parts are visited through its accessors right away
				long size = shape.shallowSize + jdkValue(object);
				this.total += size;
			}
			else {
				push(object, shape);
			}
		}

		@Override
		public void accept(Object element) {
			visit(element);
		}

		@Override
		public void accept(Object key, Object value) {
			visit(key);
			visit(value);
		}

		/**
		 * Expands what was pushed above {@code base} and everything it reaches.
		 */
		private void drain(int base) {
			while (this.top > base) {
				this.top--;
				Object object = this.objects[this.top];
				ClassShape shape = this.pending[this.top];
				this.objects[this.top] = null;
				this.pending[this.top] = null;
				// expanding adds what it reaches to the total: take its own size first
				long size = (this.expanded++ >= ObjectSizeEstimator.this.maxObjects) ? shallowSize(object, shape)
						: expand(object, shape);
				this.total += size;
			}
		}

		private long shallowSize(Object object, ClassShape shape) {
			return (shape.kind == ClassShape.Kind.OBJECT_ARRAY)
					? ObjectSizeEstimator.this.layout.referenceArraySize(((Object[]) object).length)
					: shape.shallowSize;
		}

		/**
		 * Visits what {@code object} references and returns its own size.
		 */
		private long expand(Object object, ClassShape shape) {
			ClassShape.Kind kind = shape.kind;
			if (kind == ClassShape.Kind.FIELDS) {
				BiConsumer<Object, Consumer<Object>> reader = shape.reader;
				if (reader != null) {
					reader.accept(object, this);
					return shape.shallowSize;
				}
				for (Field field : shape.references) {
					try {
						visit(field.get(object));
					}
					catch (IllegalAccessException ex) {
						// opened when the shape was built; nothing to count if that changed
					}
				}
				return shape.shallowSize;
			}
			if (kind == ClassShape.Kind.COLLECTION) {
				Collection<?> collection = (Collection<?>) object;
				int size = collection.size();
				visitCollection(collection, size);
				return shape.shallowSize + ObjectSizeEstimator.this.structures.bytes(shape.structure, size);
			}
			if (kind == ClassShape.Kind.OBJECT_ARRAY) {
				Object[] array = (Object[]) object;
				visitArray(array);
				return ObjectSizeEstimator.this.layout.referenceArraySize(array.length);
			}
			if (kind == ClassShape.Kind.MAP) {
				Map<?, ?> map = (Map<?, ?>) object;
				int size = map.size();
				visitMap(map, size);
				return shape.shallowSize + ObjectSizeEstimator.this.structures.bytes(shape.structure, size);
			}
			return shape.shallowSize;
		}

		private void visitArray(Object[] array) {
			int length = array.length;
			if (!sampled(length)) {
				for (Object element : array) {
					visit(element);
				}
			}
			else {
				visitSampled(Arrays.asList(array), length);
			}
		}

		private void visitCollection(Collection<?> collection, int size) {
			try {
				if (!sampled(size)) {
					collection.forEach(this);
				}
				else if (collection instanceof List<?> list && collection instanceof RandomAccess) {
					visitSampled(list, size);
				}
				else {
					visitSpread(collection, size);
				}
			}
			catch (RuntimeException ex) {
				// modified while walked: count what was reached
			}
		}

		private void visitMap(Map<?, ?> map, int size) {
			try {
				if (!sampled(size)) {
					map.forEach(this);
				}
				else {
					visitSpread(map, size);
				}
			}
			catch (RuntimeException ex) {
				// modified while walked: count what was reached
			}
		}

		/**
		 * Walks the elements of a random-access list in a scattered order (a step coprime
		 * with the size visits each index once) until they are known well enough.
		 */
		private void visitSampled(List<?> list, int size) {
			ElementSample sample = new ElementSample();
			int base = this.top;
			long step = scatterStep(size);
			long index = 0;
			this.samplingDepth++;
			try {
				for (int i = 0; i < size; i++) {
					double before = this.total;
					visit(list.get((int) index));
					if (measure(before, base, sample)) {
						break;
					}
					index = (index + step) % size;
				}
			}
			finally {
				this.samplingDepth--;
			}
			this.total += sample.rest(size);
		}

		/**
		 * Walks the elements (or the keys and values of the entries) of a collection
		 * whose iteration order may follow their sizes (a hash map keyed by sequential
		 * ids, a sorted map): about {@value ElementSample#MIN_WALKED} elements spread over
		 * the whole iteration first, then, unless they were alike, up to
		 * {@value ElementSample#MAX_WALKED} spread the same way. Internal iteration
		 * ({@code forEach}) costs a fraction of an iterator's.
		 */
		private void visitSpread(Object container, int size) {
			Spread spread = new Spread(size, this.top);
			this.samplingDepth++;
			try {
				forEachElement(container, spread);
				if (!spread.sample.known()) {
					spread.refine();
					forEachElement(container, spread);
				}
			}
			finally {
				this.samplingDepth--;
			}
			this.total += spread.sample.rest(size);
		}

		private void forEachElement(Object container, Spread spread) {
			if (container instanceof Map<?, ?> map) {
				map.forEach(spread);
			}
			else {
				((Collection<?>) container).forEach(spread);
			}
		}

		/**
		 * Picks elements at regular intervals of the iteration and walks each to the end.
		 */
		private final class Spread implements Consumer<Object>, BiConsumer<Object, Object> {

			final ElementSample sample = new ElementSample();

			private final int base;

			private final int coarse;

			private final int fine;

			private boolean refining;

			// countdowns, not remainders: a division per element costs more than a step
			private int untilCoarse;

			private int untilFine;

			Spread(int size, int base) {
				this.base = base;
				this.coarse = Math.max(1, size / ElementSample.MIN_WALKED);
				this.fine = Math.max(1, size / ElementSample.MAX_WALKED);
			}

			/**
			 * Goes on with the finer interval, skipping the elements already walked.
			 */
			void refine() {
				this.refining = true;
				this.untilCoarse = 0;
				this.untilFine = 0;
			}

			@Override
			public void accept(Object element) {
				if (picks()) {
					double before = Walk.this.total;
					visit(element);
					measure(before, this.base, this.sample);
				}
			}

			@Override
			public void accept(Object key, Object value) {
				if (picks()) {
					double before = Walk.this.total;
					visit(key);
					visit(value);
					measure(before, this.base, this.sample);
				}
			}

			private boolean picks() {
				boolean coarsePick = this.untilCoarse-- == 0;
				if (coarsePick) {
					this.untilCoarse = this.coarse - 1;
				}
				if (!this.refining) {
					return coarsePick;
				}
				if (this.untilFine-- == 0) {
					this.untilFine = this.fine - 1;
					return !coarsePick;
				}
				return false;
			}

		}

		/**
		 * Walks what one sampled element pushed to the end and records the bytes it added
		 * since {@code before}. Returns whether the sample is now good enough.
		 */
		private boolean measure(double before, int base, ElementSample sample) {
			drain(base);
			return sample.add(this.total - before);
		}

		private static long scatterStep(int size) {
			long step = Math.max(1, Math.round(size * 0.618));
			while (gcd(step, size) != 1) {
				step++;
			}
			return step;
		}

		private static long gcd(long a, long b) {
			return (b == 0) ? a : gcd(b, a % b);
		}

		private boolean sampled(int size) {
			return size > SAMPLE_ABOVE && this.samplingDepth < MAX_SAMPLING_DEPTH;
		}

		private long stringSize(String string) {
			int length = string.length();
			boolean latin1 = ObjectSizeEstimator.this.layout.compactStrings() && latin1(string, length);
			return ObjectSizeEstimator.this.stringShallow
					+ ObjectSizeEstimator.this.layout.arraySize(1, latin1 ? length : 2L * length);
		}

		/**
		 * Whether a string holds only Latin-1 characters, one byte each with compact
		 * strings (its coder cannot be read without {@code --add-opens}).
		 */
		private boolean latin1(String string, int length) {
			for (int i = 0; i < length; i++) {
				if (string.charAt(i) > 0xFF) {
					return false;
				}
			}
			return true;
		}

		private long jdkValue(Object object) {
			if (object instanceof LocalDateTime dateTime) {
				visit(dateTime.toLocalDate());
				visit(dateTime.toLocalTime());
			}
			else if (object instanceof OffsetDateTime dateTime) {
				visit(dateTime.toLocalDateTime());
				visit(dateTime.getOffset());
			}
			else if (object instanceof ZonedDateTime dateTime) {
				visit(dateTime.toLocalDateTime());
				visit(dateTime.getOffset());
				visit(dateTime.getZone());
			}
			else if (object instanceof BigInteger integer) {
				return magnitude(integer);
			}
			else if (object instanceof BigDecimal decimal) {
				// values of up to 18 digits are held in a long, larger ones in a BigInteger
				return (decimal.precision() <= 18) ? 0
						: ObjectSizeEstimator.this.shapes.get(BigInteger.class).shallowSize
								+ magnitude(decimal.unscaledValue());
			}
			else if (object instanceof Optional<?> optional) {
				visit(optional.orElse(null));
			}
			else if (object instanceof AtomicReference<?> reference) {
				visit(reference.get());
			}
			return 0;
		}

		private ClassShape shape(Class<?> type) {
			return ObjectSizeEstimator.this.shapes.get(type);
		}

		private void push(Object object, ClassShape shape) {
			if (this.top == this.objects.length) {
				this.objects = Arrays.copyOf(this.objects, this.top * 2);
				this.pending = Arrays.copyOf(this.pending, this.top * 2);
			}
			this.objects[this.top] = object;
			this.pending[this.top] = shape;
			this.top++;
		}

		private boolean add(Object object) {
			if ((this.seenCount + 1) * 2 > this.seen.length) {
				grow();
			}
			int mask = this.seen.length - 1;
			int index = mix(System.identityHashCode(object)) & mask;
			while (true) {
				Object present = this.seen[index];
				if (present == null) {
					this.seen[index] = object;
					if (this.seenCount == this.slots.length) {
						this.slots = Arrays.copyOf(this.slots, this.seenCount * 2);
					}
					this.slots[this.seenCount++] = index;
					return true;
				}
				if (present == object) {
					return false;
				}
				index = (index + 1) & mask;
			}
		}

		private void grow() {
			Object[] old = this.seen;
			this.seen = new Object[old.length * 2];
			int mask = this.seen.length - 1;
			int count = 0;
			for (Object object : old) {
				if (object != null) {
					int index = mix(System.identityHashCode(object)) & mask;
					while (this.seen[index] != null) {
						index = (index + 1) & mask;
					}
					this.seen[index] = object;
					this.slots[count++] = index;
				}
			}
		}

		private static int mix(int hash) {
			int h = hash * 0x9E3779B9;
			return h ^ (h >>> 16);
		}

		void reset() {
			Arrays.fill(this.objects, 0, this.top, null);
			this.top = 0;
			if (this.seen.length > 8192) {
				this.seen = new Object[INITIAL * 2];
				this.slots = new int[INITIAL];
			}
			else {
				// only the slots used: the table may be far larger than this walk needed
				for (int i = 0; i < this.seenCount; i++) {
					this.seen[this.slots[i]] = null;
				}
			}
			if (this.objects.length > 4096) {
				this.objects = new Object[INITIAL];
				this.pending = new ClassShape[INITIAL];
			}
			this.seenCount = 0;
			this.total = 0;
			this.expanded = 0;
			this.samplingDepth = 0;
			this.busy = false;
		}

	}

}

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
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

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
 * are walked field by field.</li>
 * <li>JDK classes cannot be opened on JDK 17+ without {@code --add-opens}: strings are
 * sized from their length and coder, JDK collections and maps are walked through their
 * public API with their internal arrays and nodes estimated from their known shapes, and
 * common value types ({@code BigDecimal}, {@code LocalDateTime}, ...) through their
 * accessors. Other closed classes count their shallow size.</li>
 * <li>Enum constants, {@code Class} objects, class loaders and threads are shared by the
 * whole JVM and count nothing.</li>
 * <li>Arrays and collections longer than {@value #SAMPLE} elements are sampled and their
 * elements extrapolated, and a walk stops expanding after {@code maxObjects} objects
 * (what remains counts its shallow size), so a huge or strange graph costs a bounded
 * time.</li>
 * </ul>
 * Instances are thread-safe.
 */
public final class ObjectSizeEstimator {

	/**
	 * Elements of one array or collection walked before the rest is extrapolated.
	 */
	public static final int SAMPLE = 1024;

	/**
	 * Objects expanded by one estimate unless a constructor says otherwise.
	 */
	public static final int DEFAULT_MAX_OBJECTS = 50_000;

	private static final ObjectSizeEstimator SHARED = new ObjectSizeEstimator();

	private final JvmLayout layout;

	private final JdkStructures structures;

	private final int maxObjects;

	private final long stringShallow;

	private final ClassValue<ClassShape> shapes = new ClassValue<>() {

		@Override
		protected ClassShape computeValue(Class<?> type) {
			return ClassShape.of(type, ObjectSizeEstimator.this.layout);
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
		Assert.isTrue(maxObjects > 0, "maxObjects must be positive");
		this.layout = layout;
		this.structures = new JdkStructures(layout);
		this.maxObjects = maxObjects;
		this.stringShallow = ClassShape.of(String.class, layout).shallowSize;
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
			return Math.round(walk(walk, root));
		}
		finally {
			walk.reset();
		}
	}

	private double walk(Walk walk, Object root) {
		double total = 0;
		int expanded = 0;
		walk.push(root, 1.0);
		while (walk.top > 0) {
			walk.top--;
			Object object = walk.objects[walk.top];
			double weight = walk.weights[walk.top];
			walk.objects[walk.top] = null;
			ClassShape shape = this.shapes.get(object.getClass());
			if (expanded++ >= this.maxObjects) {
				total += weight * shallowSize(object, shape);
				continue;
			}
			total += weight * expand(walk, object, shape, weight);
		}
		return total;
	}

	private long shallowSize(Object object, ClassShape shape) {
		return switch (shape.kind) {
			case PRIMITIVE_ARRAY, OBJECT_ARRAY -> this.layout.arraySize(shape.elementSize, Array.getLength(object));
			case STRING -> stringSize((String) object);
			default -> shape.shallowSize;
		};
	}

	/**
	 * Pushes what {@code object} references and returns its own size.
	 */
	private long expand(Walk walk, Object object, ClassShape shape, double weight) {
		switch (shape.kind) {
			case SHARED:
				return 0;
			case STRING:
				return stringSize((String) object);
			case PRIMITIVE_ARRAY:
				return this.layout.arraySize(shape.elementSize, Array.getLength(object));
			case OBJECT_ARRAY: {
				Object[] array = (Object[]) object;
				pushArray(walk, array, weight);
				return this.layout.referenceArraySize(array.length);
			}
			case FIELDS:
				for (Field field : shape.references) {
					try {
						walk.push(field.get(object), weight);
					}
					catch (IllegalAccessException ex) {
						// opened when the shape was built; nothing to count if that changed
					}
				}
				return shape.shallowSize;
			case COLLECTION: {
				Collection<?> collection = (Collection<?>) object;
				int size = collection.size();
				pushAll(walk, collection, size, weight);
				return shape.shallowSize + this.structures.collection(shape.type, size);
			}
			case MAP: {
				Map<?, ?> map = (Map<?, ?>) object;
				int size = map.size();
				pushAll(walk, map.keySet(), size, weight);
				pushAll(walk, map.values(), size, weight);
				return shape.shallowSize + this.structures.map(shape.type, size);
			}
			case JDK_VALUE:
				return shape.shallowSize + jdkValue(walk, object, weight);
			default:
				return shape.shallowSize;
		}
	}

	private void pushArray(Walk walk, Object[] array, double weight) {
		int length = array.length;
		if (length <= SAMPLE) {
			for (Object element : array) {
				walk.push(element, weight);
			}
			return;
		}
		int stride = (length + SAMPLE - 1) / SAMPLE;
		int sampled = (length + stride - 1) / stride;
		double scaled = weight * length / sampled;
		for (int i = 0; i < length; i += stride) {
			walk.push(array[i], scaled);
		}
	}

	private void pushAll(Walk walk, Collection<?> elements, int size, double weight) {
		int limit = Math.min(size, SAMPLE);
		if (limit == 0) {
			return;
		}
		double scaled = weight * size / limit;
		int pushed = 0;
		try {
			for (Object element : elements) {
				if (pushed++ == limit) {
					break;
				}
				walk.push(element, scaled);
			}
		}
		catch (RuntimeException ex) {
			// modified while walked: count what was reached
		}
	}

	private long jdkValue(Walk walk, Object object, double weight) {
		if (object instanceof LocalDateTime dateTime) {
			walk.push(dateTime.toLocalDate(), weight);
			walk.push(dateTime.toLocalTime(), weight);
		}
		else if (object instanceof OffsetDateTime dateTime) {
			walk.push(dateTime.toLocalDateTime(), weight);
			walk.push(dateTime.getOffset(), weight);
		}
		else if (object instanceof ZonedDateTime dateTime) {
			walk.push(dateTime.toLocalDateTime(), weight);
			walk.push(dateTime.getOffset(), weight);
			walk.push(dateTime.getZone(), weight);
		}
		else if (object instanceof BigInteger integer) {
			return magnitude(integer);
		}
		else if (object instanceof BigDecimal decimal) {
			// values of up to 18 digits are held in a long, larger ones in a BigInteger
			return (decimal.precision() <= 18) ? 0
					: this.shapes.get(BigInteger.class).shallowSize + magnitude(decimal.unscaledValue());
		}
		else if (object instanceof Optional<?> optional) {
			walk.push(optional.orElse(null), weight);
		}
		else if (object instanceof AtomicReference<?> reference) {
			walk.push(reference.get(), weight);
		}
		return 0;
	}

	private long magnitude(BigInteger integer) {
		return this.layout.arraySize(4, integer.bitLength() / 32 + 1);
	}

	private long stringSize(String string) {
		int length = string.length();
		boolean latin1 = this.layout.compactStrings();
		for (int i = 0; latin1 && i < length; i++) {
			latin1 = string.charAt(i) <= 0xFF;
		}
		return this.stringShallow + this.layout.arraySize(1, latin1 ? length : 2L * length);
	}

	/**
	 * The state of one walk, reused by a thread: a stack and an identity set.
	 */
	private static final class Walk {

		private static final int INITIAL = 64;

		Object[] objects = new Object[INITIAL];

		double[] weights = new double[INITIAL];

		int top;

		Object[] seen = new Object[INITIAL * 2];

		int[] slots = new int[INITIAL];

		int seenCount;

		boolean busy;

		void push(@Nullable Object object, double weight) {
			if (object == null || !add(object)) {
				return;
			}
			if (this.top == this.objects.length) {
				this.objects = Arrays.copyOf(this.objects, this.top * 2);
				this.weights = Arrays.copyOf(this.weights, this.top * 2);
			}
			this.objects[this.top] = object;
			this.weights[this.top] = weight;
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
				this.weights = new double[INITIAL];
			}
			this.seenCount = 0;
			this.busy = false;
		}

	}

}

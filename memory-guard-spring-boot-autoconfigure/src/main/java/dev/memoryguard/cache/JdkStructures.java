package dev.memoryguard.cache;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Estimates of the internal structure of JDK collections and maps, whose fields cannot
 * be read reflectively on JDK 17+ without {@code --add-opens}: backing arrays, hash
 * tables and nodes, computed from the element count and the known shape of each
 * implementation. The elements themselves are walked through the public API.
 */
final class JdkStructures {

	private final JvmLayout layout;

	private final long hashNode;

	private final long linkedHashNode;

	private final long treeNode;

	private final long linkedNode;

	private final long hashMapShallow;

	private final long linkedHashMapShallow;

	private final long treeMapShallow;

	JdkStructures(JvmLayout layout) {
		this.layout = layout;
		int ref = layout.referenceSize();
		this.hashNode = layout.instanceSize(4 + 3L * ref);
		this.linkedHashNode = layout.instanceSize(4 + 5L * ref);
		this.treeNode = layout.instanceSize(1 + 5L * ref);
		this.linkedNode = layout.instanceSize(3L * ref);
		this.hashMapShallow = ClassShape.of(HashMap.class, layout).shallowSize;
		this.linkedHashMapShallow = ClassShape.of(LinkedHashMap.class, layout).shallowSize;
		this.treeMapShallow = ClassShape.of(TreeMap.class, layout).shallowSize;
	}

	/**
	 * How a JDK collection or map lays out what it holds besides its own fields.
	 */
	enum Structure {

		/** A reference array grown by half each time (ArrayList, Vector, PriorityQueue). */
		GROWN_ARRAY,
		/** A reference array of exactly the size (immutable lists, array views). */
		EXACT_ARRAY,
		/** Nothing besides the fields (singletons, empty and one- or two-element sets). */
		NONE,
		/** An open-addressing array twice the size (immutable sets). */
		DOUBLE_ARRAY,
		/** An open-addressing array four times the size (immutable maps). */
		QUADRUPLE_ARRAY,
		/** One node of three references per element (linked lists and queues). */
		LINKED_NODES,
		/** A circular array of at least 16 (ArrayDeque). */
		DEQUE_ARRAY,
		/** A hash map behind a set: the map, its table and nodes. */
		HASH_SET,
		/** A linked hash map behind a set. */
		LINKED_HASH_SET,
		/** A tree map behind a set. */
		TREE_SET,
		/** A hash table and nodes (HashMap, Hashtable, ConcurrentHashMap). */
		HASH_MAP,
		/** A hash table and linked nodes. */
		LINKED_HASH_MAP,
		/** Tree nodes. */
		TREE_MAP,
		/** Keys and values side by side in one open-addressing table. */
		IDENTITY_TABLE,
		/** A value array per enum constant present. */
		ENUM_VALUES,
		/** A view over a hash map it does not show (unmodifiable, synchronized). */
		HASH_MAP_VIEW;

		/**
		 * Returns the structure of a JDK collection or map class.
		 * @param type the class
		 * @return its structure
		 */
		static Structure of(Class<?> type) {
			return switch (type.getName()) {
				case "java.util.ArrayList", "java.util.Vector", "java.util.PriorityQueue" -> GROWN_ARRAY;
				case "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$Set12",
						"java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
						"java.util.Collections$EmptyList", "java.util.Collections$EmptySet",
						"java.util.ImmutableCollections$Map1", "java.util.Collections$SingletonMap",
						"java.util.Collections$EmptyMap" ->
					NONE;
				case "java.util.ImmutableCollections$SetN" -> DOUBLE_ARRAY;
				case "java.util.ImmutableCollections$MapN" -> QUADRUPLE_ARRAY;
				case "java.util.LinkedList", "java.util.concurrent.ConcurrentLinkedQueue",
						"java.util.concurrent.LinkedBlockingQueue" ->
					LINKED_NODES;
				case "java.util.HashSet", "java.util.concurrent.CopyOnWriteArraySet" -> HASH_SET;
				case "java.util.LinkedHashSet" -> LINKED_HASH_SET;
				case "java.util.TreeSet", "java.util.concurrent.ConcurrentSkipListSet" -> TREE_SET;
				case "java.util.ArrayDeque" -> DEQUE_ARRAY;
				case "java.util.LinkedHashMap" -> LINKED_HASH_MAP;
				case "java.util.TreeMap", "java.util.concurrent.ConcurrentSkipListMap" -> TREE_MAP;
				case "java.util.IdentityHashMap" -> IDENTITY_TABLE;
				case "java.util.EnumMap" -> ENUM_VALUES;
				case "java.util.HashMap", "java.util.Hashtable", "java.util.concurrent.ConcurrentHashMap",
						"java.util.WeakHashMap" ->
					HASH_MAP;
				default -> {
					if (Map.class.isAssignableFrom(type)) {
						yield HASH_MAP_VIEW;
					}
					// unmodifiable or synchronized set views: count a hash set behind them;
					// array-backed lists (ListN, Arrays$ArrayList, CopyOnWriteArrayList)
					yield Set.class.isAssignableFrom(type) ? HASH_SET : EXACT_ARRAY;
				}
			};
		}

	}

	/**
	 * Returns the bytes a collection or map holds besides its own shallow size and its
	 * elements.
	 * @param structure how it is laid out
	 * @param size the number of elements or entries
	 * @return the estimated bytes of its internal structure
	 */
	long bytes(Structure structure, int size) {
		return switch (structure) {
			case GROWN_ARRAY -> (size == 0) ? 0 : this.layout.referenceArraySize(grownCapacity(size));
			case EXACT_ARRAY -> this.layout.referenceArraySize(size);
			case NONE -> 0;
			case DOUBLE_ARRAY -> this.layout.referenceArraySize(2L * size);
			case QUADRUPLE_ARRAY -> this.layout.referenceArraySize(4L * size);
			case LINKED_NODES -> size * this.linkedNode;
			case DEQUE_ARRAY -> this.layout.referenceArraySize(Math.max(16, size + 1));
			case HASH_SET, HASH_MAP_VIEW -> this.hashMapShallow + hashTable(size) + size * this.hashNode;
			case LINKED_HASH_SET -> this.linkedHashMapShallow + hashTable(size) + size * this.linkedHashNode;
			case TREE_SET -> this.treeMapShallow + size * this.treeNode;
			case HASH_MAP -> hashTable(size) + size * this.hashNode;
			case LINKED_HASH_MAP -> hashTable(size) + size * this.linkedHashNode;
			case TREE_MAP -> size * this.treeNode;
			case IDENTITY_TABLE -> this.layout.referenceArraySize(2L * tableLength(size));
			case ENUM_VALUES -> this.layout.referenceArraySize(size);
		};
	}

	private long hashTable(int size) {
		return (size == 0) ? 0 : this.layout.referenceArraySize(tableLength(size));
	}

	private static long tableLength(int size) {
		long wanted = (long) Math.ceil(size / 0.75);
		long length = 16;
		while (length < wanted) {
			length <<= 1;
		}
		return length;
	}

	private static long grownCapacity(int size) {
		long capacity = 10;
		while (capacity < size) {
			capacity += capacity >> 1;
		}
		return capacity;
	}

}

package dev.memoryguard.cache;

import java.util.HashMap;
import java.util.LinkedHashMap;
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
	 * Returns the bytes a collection holds besides its own shallow size and its elements.
	 * @param type the collection class
	 * @param size the number of elements
	 * @return the estimated bytes of its internal structure
	 */
	long collection(Class<?> type, int size) {
		String name = type.getName();
		switch (name) {
			case "java.util.ArrayList", "java.util.Vector", "java.util.PriorityQueue" -> {
				return (size == 0) ? 0 : this.layout.referenceArraySize(grownCapacity(size));
			}
			case "java.util.ImmutableCollections$List12", "java.util.ImmutableCollections$Set12",
					"java.util.Collections$SingletonList", "java.util.Collections$SingletonSet",
					"java.util.Collections$EmptyList", "java.util.Collections$EmptySet" -> {
				return 0;
			}
			case "java.util.ImmutableCollections$SetN" -> {
				return this.layout.referenceArraySize(2L * size);
			}
			case "java.util.LinkedList", "java.util.concurrent.ConcurrentLinkedQueue",
					"java.util.concurrent.LinkedBlockingQueue" -> {
				return size * this.linkedNode;
			}
			case "java.util.HashSet", "java.util.concurrent.CopyOnWriteArraySet" -> {
				return this.hashMapShallow + hashTable(size) + size * this.hashNode;
			}
			case "java.util.LinkedHashSet" -> {
				return this.linkedHashMapShallow + hashTable(size) + size * this.linkedHashNode;
			}
			case "java.util.TreeSet", "java.util.concurrent.ConcurrentSkipListSet" -> {
				return this.treeMapShallow + size * this.treeNode;
			}
			case "java.util.ArrayDeque" -> {
				return this.layout.referenceArraySize(Math.max(16, size + 1));
			}
			default -> {
				if (Set.class.isAssignableFrom(type)) {
					// unmodifiable or synchronized views: count a hash set behind them
					return this.hashMapShallow + hashTable(size) + size * this.hashNode;
				}
				// array-backed lists (ListN, Arrays$ArrayList, CopyOnWriteArrayList) and views
				return this.layout.referenceArraySize(size);
			}
		}
	}

	/**
	 * Returns the bytes a map holds besides its own shallow size and its keys and values.
	 * @param type the map class
	 * @param size the number of entries
	 * @return the estimated bytes of its internal structure
	 */
	long map(Class<?> type, int size) {
		String name = type.getName();
		switch (name) {
			case "java.util.LinkedHashMap" -> {
				return hashTable(size) + size * this.linkedHashNode;
			}
			case "java.util.TreeMap", "java.util.concurrent.ConcurrentSkipListMap" -> {
				return size * this.treeNode;
			}
			case "java.util.ImmutableCollections$Map1", "java.util.Collections$SingletonMap",
					"java.util.Collections$EmptyMap" -> {
				return 0;
			}
			case "java.util.ImmutableCollections$MapN" -> {
				return this.layout.referenceArraySize(4L * size);
			}
			case "java.util.IdentityHashMap" -> {
				return this.layout.referenceArraySize(2L * tableLength(size));
			}
			case "java.util.EnumMap" -> {
				return this.layout.referenceArraySize(size);
			}
			case "java.util.HashMap", "java.util.Hashtable", "java.util.concurrent.ConcurrentHashMap",
					"java.util.WeakHashMap" -> {
				return hashTable(size) + size * this.hashNode;
			}
			default -> {
				// unmodifiable or synchronized views: count a hash map behind them
				return this.hashMapShallow + hashTable(size) + size * this.hashNode;
			}
		}
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

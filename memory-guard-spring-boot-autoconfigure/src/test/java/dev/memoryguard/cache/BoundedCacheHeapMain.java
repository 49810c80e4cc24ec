package dev.memoryguard.cache;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.github.benmanes.caffeine.cache.Cache;

import org.springframework.util.unit.DataSize;

/**
 * Run in a JVM with a small heap by {@link BoundedCacheHeapTests}: fills a cache bounded
 * at 24MB with 200MB worth of values and prints the heap it retains.
 */
public final class BoundedCacheHeapMain {

	record Document(long id, String title, List<String> tags, byte[] body) {

	}

	private BoundedCacheHeapMain() {
	}

	public static void main(String[] args) {
		long bound = DataSize.ofMegabytes(24).toBytes();
		long target = DataSize.ofMegabytes(200).toBytes();
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		CaffeineGuardedCacheRegistry registry = new CaffeineGuardedCacheRegistry();
		Cache<Long, Document> cache = registry.cache("documents", CacheBounds.ofSize(DataSize.ofBytes(bound)));
		ObjectSizeEstimator.shared().estimate(new Document(0, "warm up", List.of(), new byte[1]));
		long baseline = usedAfterGc(memory);
		Random random = new Random(42);
		long written = 0;
		long id = 0;
		try {
			while (written < target) {
				int bodySize = 2_048 + random.nextInt(14_336);
				List<String> tags = new ArrayList<>();
				for (int t = 0; t < 3; t++) {
					tags.add("tag-" + random.nextInt(1000));
				}
				cache.put(id, new Document(id, "Document title number " + id, tags, new byte[bodySize]));
				written += bodySize;
				id++;
			}
		}
		catch (OutOfMemoryError ex) {
			System.out.println("OOM after " + written + " bytes");
			System.exit(3);
		}
		cache.cleanUp();
		long retained = usedAfterGc(memory) - baseline;
		System.out.println("written=" + written + " entries=" + cache.estimatedSize() + " weighted="
				+ registry.weightedSize("documents") + " retained=" + retained + " bound=" + bound);
	}

	private static long usedAfterGc(MemoryMXBean memory) {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}

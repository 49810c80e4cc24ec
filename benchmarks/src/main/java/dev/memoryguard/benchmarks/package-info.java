/**
 * JMH benchmarks of memory-guard. Build with {@code ./mvnw -pl benchmarks -am package -DskipTests}
 * and run {@code java -jar benchmarks/target/benchmarks.jar}.
 */
package dev.memoryguard.benchmarks;

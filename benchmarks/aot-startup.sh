#!/usr/bin/env bash
# Startup time on JDK 25, side by side in one run: the JVM as usual, Spring AOT
# (SpringApplicationAotProcessor as spring-boot:process-aot runs it, then
# -Dspring.aot.enabled=true), the JDK's AOT cache (-XX:AOTCache from a training run with
# -Dspring.context.exit=onRefresh) and both together. Three applications: a web application
# with the sample's stack (benchmarks/startup/) without memory-guard and with it (the starter's
# share of startup), and the sample app itself (embedded PostgreSQL included).
# Each round starts every configuration once, so the machine's noise spreads over all of them;
# the figure is the JVM's own "process running for" time at "Started ...".
#
#   benchmarks/aot-startup.sh [rounds]          (default 7; JDK25_HOME overrides the JDK 25)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-7}"
jdk="${JDK25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin"
work="$PWD/benchmarks/target/aot-startup"
rm -rf "$work"
mkdir -p "$work"

echo "building the sample app and its runtime class path" >&2
./mvnw -B -ntp -q -pl sample-app -am -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile="$work/classpath.txt" -Dmdep.includeScope=runtime
with="$(cat "$work/classpath.txt")"
without="$(tr ':' '\n' <"$work/classpath.txt" | grep -v '/memory-guard-spring-boot-' | paste -sd: -)"

startup_main=dev.memoryguard.benchmarks.startup.StartupApplication
sample_main=dev.memoryguard.sample.SampleApplication
mkdir -p "$work/startup-classes"
"$jdk/javac" --release 17 -parameters -d "$work/startup-classes" -cp "$with" \
  benchmarks/startup/dev/memoryguard/benchmarks/startup/StartupApplication.java
cp benchmarks/startup/application.properties "$work/startup-classes/"
"$jdk/jar" cf "$work/startup.jar" -C "$work/startup-classes" .
cp sample-app/target/sample-app-*.jar.original "$work/sample.jar"

# app name, main class, application jar, class path: writes $work/<name>/app.jar and app-aot.jar
prepare() {
  local name="$1" main="$2" jar="$3" deps="$4" dir="$work/$1"
  mkdir -p "$dir/sources" "$dir/resources" "$dir/classes" "$dir/aot-jar" "$dir/tmp"
  cp "$jar" "$dir/app.jar"
  echo "processing $name ahead of time" >&2
  "$jdk/java" -cp "$dir/app.jar:$deps" org.springframework.boot.SpringApplicationAotProcessor "$main" \
    "$dir/sources" "$dir/resources" "$dir/classes" dev.memoryguard "$name" >"$dir/process-aot.log" 2>&1
  "$jdk/javac" --release 17 -parameters -d "$dir/classes" -cp "$dir/app.jar:$deps" \
    $(find "$dir/sources" -name '*.java')
  (cd "$dir/aot-jar" && "$jdk/jar" xf "$dir/app.jar")
  cp -r "$dir/classes/." "$dir/resources/." "$dir/aot-jar/"
  "$jdk/jar" cf "$dir/app-aot.jar" -C "$dir/aot-jar" .
}

# app name, mode: prints the java command line (without application arguments)
command_for() {
  local name="$1" mode="$2" dir="$work/$1" deps main
  case "$name" in
    startup-without) deps="$without"; main="$startup_main" ;;
    startup-with) deps="$with"; main="$startup_main" ;;
    sample) deps="$with"; main="$sample_main" ;;
  esac
  local jvm=("$jdk/java" -Xmx512m "-Djava.io.tmpdir=$dir/tmp")
  case "$mode" in
    jvm) echo "${jvm[*]} -cp $dir/app.jar:$deps $main" ;;
    spring-aot) echo "${jvm[*]} -Dspring.aot.enabled=true -cp $dir/app-aot.jar:$deps $main" ;;
    aot-cache) echo "${jvm[*]} -XX:AOTCache=$dir/jvm.aot -cp $dir/app.jar:$deps $main" ;;
    both) echo "${jvm[*]} -XX:AOTCache=$dir/both.aot -Dspring.aot.enabled=true -cp $dir/app-aot.jar:$deps $main" ;;
  esac
}

app_args=(--server.port=0 --sample.jdbc.orders=1000 --spring.main.banner-mode=off)

# training run of the mode without the cache (jvm, spring-aot): the JVM records the AOT cache
# when the context has refreshed and the application exits
train() {
  local name="$1" mode="$2" output="$3" cmd
  cmd="$(command_for "$name" "$mode")"
  cmd="${cmd/-Xmx512m/-Xmx512m -XX:AOTCacheOutput=$output -Dspring.context.exit=onRefresh}"
  echo "training the AOT cache of $name ($mode)" >&2
  if ! timeout 120 $cmd "${app_args[@]}" >"$output.log" 2>&1; then
    echo "training run of $name ($mode) did not end by itself within 120 s: see $output.log" >&2
    return 1
  fi
}

# app name, mode: starts it, prints the seconds the JVM had run at "Started ...", stops it
measure() {
  local name="$1" mode="$2" log cmd pid seconds=""
  log="$(mktemp)"
  cmd="$(command_for "$name" "$mode")"
  $cmd "${app_args[@]}" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    seconds="$(sed -n 's/.*Started .* (process running for \([0-9.]*\)).*/\1/p' "$log" | head -1)"
    [ -n "$seconds" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$seconds" ]; then
    echo "$name ($mode) did not start: $log" >&2
    return 1
  fi
  rm -f "$log"
  echo "$seconds"
}

prepare startup-without "$startup_main" "$work/startup.jar" "$without"
prepare startup-with "$startup_main" "$work/startup.jar" "$with"
prepare sample "$sample_main" "$work/sample.jar" "$with"
for name in startup-without startup-with sample; do
  train "$name" jvm "$work/$name/jvm.aot"
  train "$name" spring-aot "$work/$name/both.aot"
done

modes=(jvm spring-aot aot-cache both)
names=(startup-without startup-with sample)
results="$work/results.txt"
: >"$results"
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  for name in "${names[@]}"; do
    for mode in "${modes[@]}"; do
      echo "$name $mode $(measure "$name" "$mode")" >>"$results"
    done
  done
done

"$jdk/java" -version 2>&1 | head -1
python3 - "$results" "$rounds" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
times = {}
for name, mode, seconds in rows:
    times.setdefault((name, mode), []).append(float(seconds))
names = ["startup-without", "startup-with", "sample"]
labels = {"startup-without": "web app without memory-guard", "startup-with": "web app with memory-guard",
          "sample": "sample app (with PostgreSQL)"}
modes = [("jvm", "JVM"), ("spring-aot", "Spring AOT"), ("aot-cache", "AOT cache"), ("both", "Spring AOT + AOT cache")]
for title, pick in (("median", statistics.median), ("fastest", min)):
    val = {k: pick(v) for k, v in times.items()}
    print(f"\n{title} of {sys.argv[2]} starts, seconds (JVM uptime at 'Started ...'), and ratio to the JVM\n")
    print("| application | " + " | ".join(label for _, label in modes) + " |")
    print("|---|" + "---:|" * len(modes))
    for name in names:
        cells = [f"{val[(name, m)]:.2f} ({val[(name, m)] / val[(name, 'jvm')]:.2f})" for m, _ in modes]
        print(f"| {labels[name]} | " + " | ".join(cells) + " |")
    share = [f"{val[('startup-with', m)] - val[('startup-without', m)]:+.2f} s "
             f"({(val[('startup-with', m)] / val[('startup-without', m)] - 1) * 100:+.0f}%)" for m, _ in modes]
    print("| memory-guard's share | " + " | ".join(share) + " |")
PY

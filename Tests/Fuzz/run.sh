#!/bin/sh
# Builds amqtop's libFuzzer binary and runs each target for a bounded time.
#
#   Tests/Fuzz/run.sh [seconds]     (default 30 s per target: jolokia, lock, config)
#
# Not part of `swift test`: the instrumented build of AMQTopCore alone takes minutes on a
# two-core machine. `FuzzCorpusReplayTests` (in the normal test run) replays the committed
# corpus through the same three entry points instead.
#
# Why swiftc and not a SwiftPM target: an executable target without `main` (libFuzzer
# supplies it) would break every ordinary `swift build`. So the AMQTopCore sources, the
# Jolokia and lock parser sources and FuzzTargets.swift are compiled as ONE instrumented
# module (their `import AMQTopCore` lines dropped), and linked against the Yams objects of
# the normal debug build, which is built first if missing. Yams itself is not instrumented:
# the fuzzer's coverage is amqtop's own code.
#
# New inputs libFuzzer finds go to a scratch corpus; crashes to Tests/Fuzz/artifacts/.
# Copy an interesting one into Tests/Fuzz/corpus/<target>/ to keep it.
set -eu

seconds="${1:-30}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/.build/fuzz"
mkdir -p "$work" "$here/artifacts"

cd "$root"
swift build --target Yams >/dev/null
debug="$(swift build --show-bin-path)"

# One module from the sources, without the imports of the modules they now are part of.
rm -rf "$work/src"
mkdir -p "$work/src"
for file in $(find Sources/AMQTopCore -name '*.swift') \
    Sources/AMQTopProbes/Jolokia/JSONReader.swift Sources/AMQTopProbes/Jolokia/JSONValue.swift \
    Sources/AMQTopProbes/Jolokia/JolokiaResponseParser.swift Sources/AMQTopProbes/Jolokia/JolokiaRequests.swift \
    Sources/AMQTopProbes/Lock/ProcLocks.swift Sources/AMQTopProbes/Lock/MountInfo.swift \
    Tests/Fuzz/FuzzTargets.swift; do
    sed -e '/^import AMQTopCore$/d' -e '/^@testable import AMQTopCore$/d' "$file" > "$work/src/$(echo "$file" | tr / _)"
done

yams_objects="$(find "$debug/Yams.build" "$debug/CYaml.build" -name '*.o')"
echo "fuzz: building $work/amqtop-fuzz"
# shellcheck disable=SC2086
swiftc -swift-version 6 -parse-as-library -sanitize=fuzzer,address -Onone -g -module-name AMQTopFuzz \
    -I "$debug/Modules" -I "$root/.build/checkouts/Yams/Sources/CYaml/include" \
    "$work"/src/*.swift $yams_objects -o "$work/amqtop-fuzz" >"$work/build.log" 2>&1 || {
    # gold's "Cannot export local symbol __asan_*" warnings are noise; only a failure shows the log.
    tail -40 "$work/build.log"
    exit 1
}

status=0
for target in jolokia lock config; do
    echo "fuzz: $target for ${seconds}s"
    mkdir -p "$work/corpus-$target"
    # The scratch corpus first: libFuzzer writes new inputs to the first directory.
    if ! AMQTOP_FUZZ_TARGET=$target "$work/amqtop-fuzz" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$here/artifacts/$target-" \
        "$work/corpus-$target" "$here/corpus/$target" 2>"$work/$target.log"; then
        echo "fuzz: $target FOUND A PROBLEM; see $work/$target.log and $here/artifacts/"
        tail -40 "$work/$target.log"
        status=1
    else
        grep -E "stat::number_of_executed_units|cov:" "$work/$target.log" | tail -2
    fi
done
exit $status

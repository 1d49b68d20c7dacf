#!/bin/sh
# Builds amqtop's libFuzzer binary and runs each target for a bounded time.
#
#   Tests/Fuzz/run.sh [seconds]     (per target: jolokia, lock, config, brokerxml, brokerlog, pipeline; default
#                                    $AMQTOP_FUZZ_SECONDS, else 45 s, what the test run uses)
#
# Part of `swift test`: FuzzRunTests (IntegrationTests) runs this script, so there is one
# build recipe for CI and for deep runs by hand (`Tests/Fuzz/run.sh 600`, or
# AMQTOP_FUZZ_SECONDS=600 swift test --filter FuzzRunTests). FuzzCorpusReplayTests
# also replays the committed corpus through the same entry points, uninstrumented, in
# seconds, so a toolchain without libFuzzer still checks every input ever kept.
#
# Why swiftc and not a SwiftPM target: an executable target without `main` (libFuzzer
# supplies it) would break every ordinary `swift build`. So the AMQTopCore sources, the
# Jolokia and lock parser sources and FuzzTargets.swift are compiled as ONE instrumented
# module (their `import AMQTopCore` lines dropped), and linked against the Yams objects
# of the normal debug build. Yams itself is not instrumented: the fuzzer's coverage is
# amqtop's own code.
#
# Build cost on two cores (Swift 6.3.1, medians): 6 s as one whole-module job (-wmo),
# against 12 s in the driver's default batch mode (7 s with -j2); -num-threads 2 adds
# nothing at -Onone. AddressSanitizer costs about 1 s of it and stays: it is what finds
# memory bugs. Compiling only the sources the targets reach would save 3 s more, but any
# new dependency of the parsers would then break this build.
#
# AMQTOP_FUZZ_PRODUCTS: a SwiftPM build directory that already holds Yams' objects (the
# test passes its own). Then no `swift build` runs: inside `swift test` it would wait
# forever for the lock on .build that `swift test` holds. Without it, Yams is built first.
#
# New inputs libFuzzer finds go to the scratch corpus .build/fuzz/corpus-<target>, never
# the repository; crash, leak and timeout inputs to .build/fuzz/artifacts/. Copy one worth
# keeping into Tests/Fuzz/corpus/<target>/ once the bug is fixed.
#
# Seeded: AMQTOP_FUZZ_SEED, else one drawn from the clock; printed as `fuzz: seed <n>`, and
# `AMQTOP_FUZZ_SEED=<n> Tests/Fuzz/run.sh <seconds>` repeats the run's mutations.
#
# Output, parsed by FuzzRunTests: per target `fuzz: passed <target> runs: <n> (<stats>)`,
# or `fuzz: FAILED <target> artifact: <path> log: <path>` (artifact `none` when libFuzzer
# wrote none) and the finding with its stack; `fuzz: BUILD FAILED` if swiftc failed. Exit 1
# on any failure. A failure also prints the input itself, base64 between `fuzz: input
# <target> base64 begin` and `fuzz: input end` (so a CI log is enough to reproduce it, the
# artifact in .build being gone with the machine), and the commands that replay it.
set -eu

seconds="${1:-${AMQTOP_FUZZ_SECONDS:-45}}"
seed="${AMQTOP_FUZZ_SEED:-$(( $(date +%s) % 2147483647 + 1 ))}"
echo "fuzz: seed $seed (AMQTOP_FUZZ_SEED=$seed Tests/Fuzz/run.sh $seconds repeats it)"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$root/.build/fuzz"
mkdir -p "$work/artifacts"
# One run at a time: a second one (by hand, during the test run) would rewrite the sources
# and the binary under the first.
exec 9>"$work/lock"
if ! flock -n 9; then
    echo "fuzz: waiting for another run.sh using $work"
    flock 9
fi

cd "$root"
if [ -n "${AMQTOP_FUZZ_PRODUCTS:-}" ]; then
    debug="$AMQTOP_FUZZ_PRODUCTS"
else
    swift build --target Yams >/dev/null
    debug="$(swift build --show-bin-path)"
fi

# One module from the sources, without the imports of the modules they now are part of.
rm -rf "$work/src"
mkdir -p "$work/src"
# AMQTopScreen too: the pipeline target renders dashboard frames from fuzzed observations.
for file in $(find Sources/AMQTopCore Sources/AMQTopScreen -name '*.swift') \
    Sources/AMQTopProbes/Jolokia/JSONReader.swift Sources/AMQTopProbes/Jolokia/JSONValue.swift \
    Sources/AMQTopProbes/Jolokia/JSONScanner.swift Sources/AMQTopProbes/Jolokia/BulkReadScanner.swift \
    Sources/AMQTopProbes/Jolokia/JolokiaResponseParser.swift Sources/AMQTopProbes/Jolokia/JolokiaRequests.swift \
    Tests/AMQTopProbesTests/Support/ReferenceBulkRead.swift \
    Sources/AMQTopProbes/Lock/ProcLocks.swift Sources/AMQTopProbes/Lock/MountInfo.swift \
    Tests/AMQTopFuzzPipeline/FuzzPipeline.swift Tests/Fuzz/FuzzTargets.swift; do
    sed -e '/^import AMQTopCore$/d' -e '/^@testable import AMQTopCore$/d' -e '/^import AMQTopProbes$/d' -e '/^@testable import AMQTopProbes$/d' -e '/^import AMQTopScreen$/d' \
        "$file" > "$work/src/$(echo "$file" | tr / _)"
done

yams_objects="$(find "$debug/Yams.build" "$debug/CYaml.build" -name '*.o')"
echo "fuzz: building $work/amqtop-fuzz"
started="$(date +%s)"
# shellcheck disable=SC2086
swiftc -swift-version 6 -parse-as-library -sanitize=fuzzer,address -Onone -g -wmo -module-name AMQTopFuzz \
    -I "$debug/Modules" -I "$root/.build/checkouts/Yams/Sources/CYaml/include" \
    "$work"/src/*.swift $yams_objects -o "$work/amqtop-fuzz" >"$work/build.log" 2>&1 || {
    # gold's "Cannot export local symbol __asan_*" warnings are noise; only a failure shows the log.
    echo "fuzz: BUILD FAILED; see $work/build.log"
    tail -40 "$work/build.log"
    exit 1
}
echo "fuzz: built in $(( $(date +%s) - started )) s"

status=0
for target in jolokia lock config brokerxml brokerlog pipeline; do
    echo "fuzz: $target for ${seconds}s"
    mkdir -p "$work/corpus-$target"
    # The scratch corpus first: libFuzzer writes new inputs to the first directory.
    # Swift's own backtracer off: on a trap its memory server tripped ASan (a false
    # dynamic-stack-buffer-overflow in CrashHandlerLinux) and hid the real message and stack.
    # lsan.supp: leaks inside the toolchain's libraries (Foundation's XMLParser), not amqtop's.
    if ! SWIFT_BACKTRACE=enable=no LSAN_OPTIONS="suppressions=$here/lsan.supp" AMQTOP_FUZZ_TARGET=$target "$work/amqtop-fuzz" -seed="$seed" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/$target-" \
        "$work/corpus-$target" "$here/corpus/$target" 2>"$work/$target.log"; then
        artifact="$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$work/$target.log" | tail -1)"
        echo "fuzz: FAILED $target artifact: ${artifact:-none} log: $work/$target.log"
        # The finding and the stack without libFuzzer's own frames; ASan's shadow dump would
        # push them out of a plain tail.
        grep -E 'Fatal error|ERROR:|SUMMARY:|^ *#[0-9]+ ' "$work/$target.log" | grep -v '/compiler-rt/' | head -30
        if [ -n "$artifact" ] && [ -f "$artifact" ]; then
            name="finding-$(sha1sum "$artifact" | cut -c1-12)"
            echo "fuzz: input $target base64 begin ($(wc -c <"$artifact") bytes)"
            base64 -w 76 "$artifact"
            echo "fuzz: input end"
            echo "fuzz: replay: AMQTOP_FUZZ_TARGET=$target $work/amqtop-fuzz $artifact"
            echo "fuzz: keep it: base64 -d > Tests/Fuzz/corpus/$target/$name <<'EOF' ... EOF (the lines above), then"
            echo "fuzz:   swift test --filter FuzzCorpusReplayTests  (fails until the bug is fixed)"
        fi
        status=1
    else
        runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$target.log")"
        echo "fuzz: passed $target runs: ${runs:-0} ($(grep -E '[[:space:]]DONE[[:space:]]' "$work/$target.log" | tail -1 | tr -s ' \t' ' '))"
    fi
done
exit $status

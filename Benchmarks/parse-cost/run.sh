#!/bin/sh
# The answer's parse on its own: CPU ns and callgrind instructions per parse of a real
# master's and slave's bulk-read answer (1.9 and 2.0 KB, from fakefleet.py).
#
#   bash Benchmarks/parse-cost/run.sh [--tree DIR] [--label NAME] [--callgrind] [--parses N]
#
# --tree DIR: the sources to measure (default this checkout), e.g. an older commit made with
#   `mkdir /tmp/base && git archive ba67125 | tar -x -C /tmp/base`, so before and after are
#   measured by the same harness in the same run.
# --callgrind: also instructions per parse, from `valgrind --tool=callgrind` totals of a run
#   with N parses minus a run with none (start-up, file reading and the loop's own cost
#   drop out). Instruction counts repeat on a loaded machine; the ns do not.
#
# Why swiftc and not a SwiftPM target (the recipe of Tests/Fuzz/run.sh): no package target
# exists only for this, so neither `swift build` nor CI builds it. The AMQTopCore sources and
# the Jolokia parser sources are compiled with main.swift as ONE optimised module (-O -wmo,
# their `import AMQTopCore` lines dropped), linked against the Yams objects of this
# checkout's debug build (`swift build --target Yams` first if there are none). The parser
# is then inlined as in the release binary; the entry point measured is the public
# `observation(fromBulkRead: Data, ...)` that every version has.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
tree="$root"
label=""
callgrind=0
parses=20000
while [ $# -gt 0 ]; do
    case "$1" in
        --tree) tree="$(cd "$2" && pwd)"; shift 2 ;;
        --label) label="$2"; shift 2 ;;
        --callgrind) callgrind=1; shift ;;
        --parses) parses="$2"; shift 2 ;;
        *) echo "usage: run.sh [--tree DIR] [--label NAME] [--callgrind] [--parses N]" >&2; exit 2 ;;
    esac
done
label="${label:-$(git -C "$tree" rev-parse --short HEAD 2>/dev/null || basename "$tree")}"
work="$root/.build/parse-cost/$label"
rm -rf "$work"
mkdir -p "$work/src" "$work/answers"
python3 "$here/answers.py" "$work/answers" >/dev/null

debug="$root/.build/debug"
if ! [ -d "$debug/Yams.build" ]; then
    (cd "$root" && swift build --target Yams >/dev/null)
fi
for file in $(find "$tree/Sources/AMQTopCore" -name '*.swift') \
    "$tree"/Sources/AMQTopProbes/Jolokia/JSON*.swift "$tree"/Sources/AMQTopProbes/Jolokia/JolokiaResponseParser.swift \
    "$tree"/Sources/AMQTopProbes/Jolokia/JolokiaRequests.swift "$tree"/Sources/AMQTopProbes/Jolokia/BulkRead*.swift; do
    [ -f "$file" ] || continue
    sed -e '/^import AMQTopCore$/d' "$file" > "$work/src/$(echo "${file#"$tree"/}" | tr / _)"
done
cp "$here/main.swift" "$work/src/main.swift"
yams_objects="$(find "$debug/Yams.build" "$debug/CYaml.build" -name '*.o')"
# shellcheck disable=SC2086
swiftc -swift-version 6 -O -wmo -module-name ParseCost -I "$debug/Modules" -I "$root/.build/checkouts/Yams/Sources/CYaml/include" \
    "$work"/src/*.swift $yams_objects -o "$work/parse-cost" >"$work/build.log" 2>&1 || {
    echo "parse-cost: BUILD FAILED; see $work/build.log"; tail -20 "$work/build.log"; exit 1; }
echo "parse-cost $label ($tree), load average $(cut -d' ' -f1-3 /proc/loadavg)"
"$work/parse-cost" time "$work/answers" "$parses"
if [ "$callgrind" = 1 ]; then
    # Debian 12's valgrind 3.19 gives up on the DWARF 5 debug info of the Yams objects: a copy without it.
    strip --strip-debug -o "$work/parse-cost-stripped" "$work/parse-cost"
    for role in master slave; do
        total() {
            valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$role.$1" "$work/parse-cost-stripped" count "$work/answers" "$role" "$1" \
                >/dev/null 2>"$work/valgrind.$role.$1.log"
            sed -n 's/^totals: *//p' "$work/callgrind.$role.$1" | cut -d' ' -f1
        }
        none="$(total 0)"
        many="$(total 1000)"
        echo "$role: $(( (many - none) / 1000 )) instructions per parse (callgrind: $many with 1000 parses, $none with none)"
    done
fi

#!/usr/bin/env bash
# Instructions per broker poll under callgrind, one command:
#   bash Benchmarks/callgrind_polls.sh [--bin PATH/TO/amqtop] [options of Benchmarks/callgrind_polls.py]
# Without --bin, builds amqtop in release mode into .build-bench (gitignored, as run.sh does) and
# profiles that. Any binary works (--bin), so "before" and "after" are the same command on two
# builds. Needs valgrind (Debian 12: 3.19), binutils (objcopy), cc, unshare, python3 and swift.
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in valgrind callgrind_control objcopy cc unshare python3; do
  command -v "$tool" >/dev/null || { echo "callgrind_polls.sh: $tool is needed" >&2; exit 2; }
done
case " $* " in
  *" --bin "*|*" --bin="*) exec python3 Benchmarks/callgrind_polls.py "$@" ;;
esac
echo "callgrind_polls.sh: swift build -c release --scratch-path .build-bench --product amqtop" >&2
swift build -c release --scratch-path .build-bench --product amqtop >&2
exec python3 Benchmarks/callgrind_polls.py --bin "$(swift build -c release --scratch-path .build-bench --show-bin-path)/amqtop" "$@"

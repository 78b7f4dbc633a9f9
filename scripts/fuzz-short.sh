#!/usr/bin/env bash
# Runs every fuzz target in the tree for a short time (FUZZTIME each,
# default 6s; 21 targets, about 3-4 minutes on 2 cores with the builds). Seed
# corpora live in each package's testdata/fuzz/<Target>/; a failing input
# found here is written there too: commit it with the fix so it stays a
# regression test (plain `go test` replays it).
#
# usage: scripts/fuzz-short.sh [target-regexp]   e.g. scripts/fuzz-short.sh Naver
#        scripts/fuzz-short.sh -list             prints the targets found
set -u
cd "$(dirname "$0")/.."

FUZZTIME="${FUZZTIME:-6s}"
only="${1:-.}"

# Every fuzz target in the tree (each `func Fuzz...` in a _test.go file),
# found here so that a new target cannot be left out: "<package> <target>".
targets=()
while IFS= read -r -d '' f; do
	[[ -f "$f" ]] || continue
	dir="./${f%/*}"
	[[ "$f" == */* ]] || dir=.
	while read -r name; do
		targets+=("$dir $name")
	done < <(sed -n -E 's/^func (Fuzz[A-Za-z0-9_]*)\(.*/\1/p' "$f")
done < <(git ls-files -z --cached --others --exclude-standard -- '*_test.go')
if ((${#targets[@]} == 0)); then
	echo "fuzz-short: no fuzz targets found" >&2
	exit 1
fi
if [[ "$only" == -list ]]; then
	printf '%s\n' "${targets[@]}"
	exit 0
fi

# corpus_size counts the inputs under a target's testdata/fuzz directory.
corpus_size() { find "$1/testdata/fuzz/$2" -type f 2>/dev/null | wc -l; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT

failed=()
start=$(date +%s)
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	[[ "$pkg $name" =~ $only ]] || continue
	echo "== $name ($pkg, $FUZZTIME)"
	# -parallel 2: the machine has 2 cores; -run '^$' skips the unit tests.
	# -fuzzminimizetime 1s: Go minimizes every new interesting input for up
	# to 60 s by default, which stalls a 6 s run (0 execs/s) and, when the
	# fuzz time ends mid-minimization, fails it with "context deadline
	# exceeded" and no input (seen in CI on FuzzToText; a tool flake, not a
	# finding). A failing input is still written, less minimized.
	# The same "context deadline exceeded" also ends runs that were not
	# minimizing (seen on FuzzMentionJSON at 0 new inputs): when a run fails
	# that way and wrote no input, it is run once more and only a second
	# failure counts.
	for try in 1 2; do
		before=$(corpus_size "$pkg" "$name")
		if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -fuzzminimizetime 1s -parallel 2 "$pkg" 2>&1 | tee "$log"; [[ ${PIPESTATUS[0]} -eq 0 ]]; then
			break
		fi
		if [[ $try == 1 ]] && grep -q 'context deadline exceeded' "$log" && [[ $(corpus_size "$pkg" "$name") == "$before" ]]; then
			echo "fuzz-short: $name: context deadline exceeded with no failing input (a go test flake); once more"
			continue
		fi
		failed+=("$pkg $name")
		break
	done
done
echo "fuzz-short: $(( $(date +%s) - start ))s"
if ((${#failed[@]})); then
	echo "fuzz-short: FAILED: ${failed[*]} (inputs saved under <package>/testdata/fuzz/<target>/)" >&2
	exit 1
fi
echo "fuzz-short: all targets passed"

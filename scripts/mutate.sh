#!/usr/bin/env bash
# Mutation check: applies each deliberate one-line bug listed in
# scripts/mutants.tsv to a temporary copy of the working tree, runs that
# package's tests, and expects them to FAIL. A mutant the tests pass is a
# hole in the suite: add the test that catches it.
#
# usage: scripts/mutate.sh [NAME...]     all mutants, or only the named ones
#
# The table's size is stated in docs/testing.md (checked); the last full run measured 1,142 s for 175 on
# 2 cores, so expect about half an hour: one copy of the tree, then one
# `go test` per mutant and one unmutated run per package. Too long for the
# default CI run; run it before calling a change to core logic done. That
# every row still applies (its original once in its file) is checked on
# every test run by scripts/check-mutants.
#
# Per mutant it prints one line: killed, SURVIVED, not-applied (the original
# text is not in the file exactly once: the table is stale), or broken (the
# mutant does not compile, so it proves nothing). Exits 1 when any mutant
# survived, did not apply or is broken, or when a package fails unmutated.
# The real tree is never modified. Environment: MUTATE_TIMEOUT (per go test
# run, default 300s); MUTATE_RUN, a -run regexp for every row, to try new
# tests on a mutant quickly (the check itself runs every test of the
# package, or the row's own -run regexp where its suite is too slow).
set -u
cd "$(dirname "$0")/.."
table=scripts/mutants.tsv
timeout="${MUTATE_TIMEOUT:-300s}"
# bash 5.2 would otherwise expand & in the replacement of ${x/pat/rep}.
shopt -u patsub_replacement 2>/dev/null || true

declare -A want=()
for n in "$@"; do want[$n]=1; done

rows=()
while IFS= read -r line; do
	[[ -z "$line" || "$line" == \#* ]] && continue
	IFS=$'\t' read -r name pkg file from to runre <<<"$line"
	if [[ -z "${to:-}" ]]; then
		echo "mutate: bad row in $table (want 5 or 6 tab-separated fields): $line" >&2
		exit 2
	fi
	if (($#)) && [[ -z "${want[$name]:-}" ]]; then
		continue
	fi
	unset "want[$name]"
	rows+=("$line")
done <"$table"
if ((${#want[@]})); then
	echo "mutate: no mutant named: ${!want[*]} (see $table)" >&2
	exit 2
fi

start=$(date +%s)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/earshot-mutate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# The working tree as it is (tracked and new files, not ignored ones), so
# uncommitted tests count; files deleted but not yet staged are skipped.
git ls-files -z --cached --others --exclude-standard |
	while IFS= read -r -d '' f; do [[ -f "$f" ]] && printf '%s\0' "$f"; done |
	xargs -0 cp --parents -t "$tmp"

# gotest runs one package's tests in the copy; vet is off so that a vet
# finding in a mutant does not pass for a killing test.
# $2 is a -run regexp ("" = every test).
gotest() {
	local run=()
	[[ -n "$2" ]] && run=(-run "$2")
	(cd "$tmp" && timeout --kill-after=10s "$timeout" go test -count=1 -vet=off "${run[@]}" "$1") >"$tmp/.out" 2>&1
}

declare -A baseline=()
killed=0 bad=()
for line in "${rows[@]}"; do
	IFS=$'\t' read -r name pkg file from to runre <<<"$line"
	runre="${MUTATE_RUN:-${runre:-}}"
	t0=$(date +%s)
	f="$tmp/$file"
	n=0
	[[ -f "$f" ]] && n=$(grep -F -o -- "$from" "$f" | wc -l)
	if ((n != 1)); then
		printf '%-12s %-28s %s: original found %d times (want 1)\n' not-applied "$name" "$file" "$n"
		bad+=("$name")
		continue
	fi
	if [[ -z "${baseline[$pkg $runre]:-}" ]]; then
		if gotest "$pkg" "$runre"; then baseline[$pkg $runre]=ok; else baseline[$pkg $runre]=fail; fi
	fi
	if [[ "${baseline[$pkg $runre]}" != ok ]]; then
		printf '%-12s %-28s %s fails without the mutant:\n' not-applied "$name" "$pkg"
		tail -5 "$tmp/.out"
		bad+=("$name")
		continue
	fi
	cp "$f" "$tmp/.orig"
	content=$(<"$f")
	printf '%s\n' "${content/"$from"/"$to"}" >"$f"
	if cmp -s "$f" "$tmp/.orig"; then
		printf '%-12s %-28s replacement equals the original\n' not-applied "$name"
		bad+=("$name")
		continue
	fi
	if gotest "$pkg" "$runre"; then
		verdict=SURVIVED
		bad+=("$name")
	elif grep -q -e '\[build failed\]' -e '\[setup failed\]' "$tmp/.out"; then
		verdict=broken
		bad+=("$name")
	else
		verdict=killed
		killed=$((killed + 1))
	fi
	cp "$tmp/.orig" "$f"
	printf '%-12s %-28s %s %s (%ds)\n' "$verdict" "$name" "$pkg" "$file" $(($(date +%s) - t0))
	if [[ $verdict == broken ]]; then
		grep -m 5 -e '\.go:[0-9]' "$tmp/.out"
	fi
done
echo "mutate: ${killed}/${#rows[@]} killed in $(($(date +%s) - start))s"
if ((${#bad[@]})); then
	echo "mutate: FAILED: ${bad[*]}" >&2
	exit 1
fi

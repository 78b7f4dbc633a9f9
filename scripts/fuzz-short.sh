#!/usr/bin/env bash
# Runs every decoder's fuzz target for a short time (FUZZTIME each, default
# 6s; 16 targets, about 2-3 minutes on 2 cores with the builds). Seed
# corpora live in each package's testdata/fuzz/<Target>/; a failing input
# found here is written there too: commit it with the fix so it stays a
# regression test (plain `go test` replays it).
#
# usage: scripts/fuzz-short.sh [target-regexp]   e.g. scripts/fuzz-short.sh Naver
set -u
cd "$(dirname "$0")/.."

FUZZTIME="${FUZZTIME:-6s}"
only="${1:-.}"

# package target
targets=(
	"./config FuzzParse"
	"./config FuzzCheckCronSpec"
	"./query FuzzParse"
	"./query FuzzTokenize"
	"./listener/match FuzzMatch"
	"./listener/htmltext FuzzToText"
	"./listener/hackernews FuzzDecodeHits"
	"./listener/feed FuzzParseFeed"
	"./listener/reddit FuzzRedditDecode"
	"./listener/mastodon FuzzMastodonDecode"
	"./listener/bluesky FuzzBlueskyDecode"
	"./listener/naver FuzzNaverDecode"
	"./listener/youtube FuzzYouTubeDecode"
	"./listener/x FuzzXDecode"
	"./listener/webcrawl FuzzWebDecode"
	"./store FuzzMentionJSON"
)

failed=()
start=$(date +%s)
for t in "${targets[@]}"; do
	read -r pkg name <<<"$t"
	[[ "$pkg $name" =~ $only ]] || continue
	echo "== $name ($pkg, $FUZZTIME)"
	# -parallel 2: the machine has 2 cores; -run '^$' skips the unit tests.
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" -parallel 2 "$pkg"; then
		failed+=("$pkg $name")
	fi
done
echo "fuzz-short: $(( $(date +%s) - start ))s"
if ((${#failed[@]})); then
	echo "fuzz-short: FAILED: ${failed[*]} (inputs saved under <package>/testdata/fuzz/<target>/)" >&2
	exit 1
fi
echo "fuzz-short: all targets passed"

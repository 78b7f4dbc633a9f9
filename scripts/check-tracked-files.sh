#!/usr/bin/env bash
# Fails when git tracks build output: a file over 5 MB, or an executable
# binary (ELF, Mach-O, PE). Run by .ci/run on every submission.
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
limit=$((5 * 1024 * 1024))
bad=0
while IFS= read -r -d '' f; do
	[ -f "$f" ] || continue
	size=$(stat -c %s -- "$f")
	if [ "$size" -gt "$limit" ]; then
		echo "tracked file over 5 MB: $f ($size bytes)"
		bad=1
	fi
	magic=$(head -c 4 -- "$f" | od -An -tx1 | tr -d ' \n')
	case "$magic" in
	7f454c46) kind=ELF ;;
	feedface | feedfacf | cefaedfe | cffaedfe | cafebabe) kind=Mach-O ;;
	4d5a*) # MZ: a PE file has "PE\0\0" at the offset stored at 0x3c
		off=$(od -An -tu4 -j 60 -N 4 -- "$f" 2>/dev/null | tr -d ' ' || true)
		kind=
		if [ -n "$off" ] && [ "$(od -An -tx1 -j "$off" -N 4 -- "$f" 2>/dev/null | tr -d ' \n')" = 50450000 ]; then kind=PE; fi
		;;
	*) kind= ;;
	esac
	if [ -n "$kind" ]; then
		echo "tracked $kind binary: $f"
		bad=1
	fi
done < <(git ls-files -z)
if [ "$bad" -ne 0 ]; then
	echo "build output must not be committed: git rm --cached it and name it in .gitignore"
	exit 1
fi
echo "tracked files: no binaries, none over 5 MB"

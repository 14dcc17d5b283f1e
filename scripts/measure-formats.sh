#!/usr/bin/env bash
# Measures extraction quality of the PDF, DOCX and DOC readers against the
# text copies of the bundled reports and of reports from corpora given as
# JSONL:LINE arguments (default: two national and two provincial reports of
# /work/shared/corpora). Each report is written as DOCX (with a running
# header and page numbers, first-line indents, no paragraph spacing:
# corpus/testdata/mkfixtures), converted to PDF and DOC by LibreOffice, and
# read back. Prints, per copy, the share of the text's paragraphs and
# sentences recovered exactly and the spaces left between Chinese and
# figures. Needs libreoffice-writer-nogui, fonts-noto-cjk, poppler-utils,
# antiword. Used for docs/formats.md:
#   ./scripts/measure-formats.sh
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sets=("$@")
if [ ${#sets[@]} -eq 0 ]; then
  sets=(/work/shared/corpora/national-government-work-reports.jsonl:60 /work/shared/corpora/national-government-work-reports.jsonl:68
        /work/shared/corpora/provincial-2026.jsonl:3 /work/shared/corpora/provincial-2026.jsonl:17)
fi
cp corpus/reports/*.txt "$tmp/"
for s in "${sets[@]}"; do
  f=${s%:*}; n=${s##*:}
  python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readlines()[int(sys.argv[2])]); open(sys.argv[3],"w").write(d["title"]+"\n\n"+d["content"])' \
    "$f" "$n" "$tmp/$(basename "$f" .jsonl)-$n.txt"
done
go build -o "$tmp/mk" ./corpus/testdata/mkfixtures
for t in "$tmp"/*.txt; do "$tmp/mk" docx "$t" "${t%.txt}.docx"; done
soffice --headless -env:UserInstallation=file://"$tmp"/lo --convert-to pdf --outdir "$tmp" "$tmp"/*.docx >/dev/null 2>&1
soffice --headless -env:UserInstallation=file://"$tmp"/lo --convert-to doc --outdir "$tmp" "$tmp"/*.docx >/dev/null 2>&1
for t in "$tmp"/*.txt; do
  b=${t%.txt}
  "$tmp/mk" measure "$t" "$b.pdf" "$b.docx" "$b.doc" | sed "s#$tmp/##"
done

#!/usr/bin/env bash
# Regenerates the format fixtures in corpus/testdata/formats from the bundled
# 2018 report: a DOCX (Go, with heading styles, a running header and page
# numbers), PDF and DOC copies of it (LibreOffice headless), a two-column
# PDF and a PDF of the later fragment (the eval test reads both reports as
# PDF), a DOCX/PDF with a target table, and an image-only (scanned) PDF of its
# first page (pdftoppm). Needs: apt-get install libreoffice-writer-nogui
# fonts-noto-cjk poppler-utils. Generation only: the tests read the
# committed files.
set -euo pipefail
cd "$(dirname "$0")/.."
out=corpus/testdata/formats
src=corpus/reports/wuqing-2018-government-work-report.txt
mkdir -p "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gen() { go run ./corpus/testdata/mkfixtures "$@"; }
gen docx "$src" "$out/wuqing-2018.docx"
gen docx corpus/reports/wuqing-later-report-fragment.txt "$tmp/wuqing-fragment.docx"
gen docx corpus/reports/wuqing-later-report-fragment.txt "$tmp/fragment-2col.docx" cols
gen table "$out/targets.docx"
soffice() { command soffice --headless -env:UserInstallation=file://"$tmp"/lo "$@" >/dev/null; }
soffice --convert-to pdf --outdir "$out" "$out/wuqing-2018.docx" "$out/targets.docx"
soffice --convert-to doc --outdir "$out" "$out/wuqing-2018.docx"
soffice --convert-to pdf --outdir "$tmp" "$tmp/fragment-2col.docx" "$tmp/wuqing-fragment.docx"
cp "$tmp/fragment-2col.pdf" "$tmp/wuqing-fragment.pdf" "$out/"
# A scan: page 1 as a 150 dpi gray JPEG, wrapped in a PDF with no text.
pdftoppm -r 150 -gray -jpeg -jpegopt quality=60 -f 1 -l 1 -singlefile "$out/wuqing-2018.pdf" "$tmp/page"
gen scanpdf "$tmp/page.jpg" "$out/scan-page.pdf"
ls -l "$out"

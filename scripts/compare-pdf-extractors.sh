#!/usr/bin/env bash
# Compares PDF text extractors on LibreOffice PDFs of Chinese reports (the
# bundled reports and four of /work/shared/corpora): poppler's pdftotext
# against the Go library github.com/ledongthuc/pdf (built in a temporary
# module, from the Go module proxy). Prints, per report and extractor, the
# share of the text's sentences (8+ characters, whitespace ignored) found in
# the extraction, the share of consecutive found sentences in order, and the
# time. This chose pdftotext (docs/formats.md). Needs poppler-utils,
# libreoffice-writer-nogui, fonts-noto-cjk, python3.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp corpus/reports/*.txt "$tmp/"
python3 - "$tmp" <<'PY'
import json, sys
for name, f, ns in [("nat", "/work/shared/corpora/national-government-work-reports.jsonl", [60, 68]),
                    ("prov", "/work/shared/corpora/provincial-2026.jsonl", [3, 17])]:
    lines = open(f).readlines()
    for i in ns:
        d = json.loads(lines[i])
        open(f"{sys.argv[1]}/{name}{i}.txt", "w").write(d["title"] + "\n\n" + d["content"])
PY
(cd "$tmp" && soffice --headless -env:UserInstallation=file://"$tmp"/lo --infilter="Text (encoded):UTF8" --convert-to pdf --outdir pdf ./*.txt >/dev/null 2>&1)
mkdir -p "$tmp/lib"
cat >"$tmp/lib/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/ledongthuc/pdf"
)

func main() {
	f, r, err := pdf.Open(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer f.Close()
	var b strings.Builder
	for i := 1; i <= r.NumPage(); i++ {
		p := r.Page(i)
		if p.V.IsNull() {
			continue
		}
		rows, err := p.GetTextByRow()
		if err != nil {
			continue
		}
		for _, row := range rows {
			for _, w := range row.Content {
				b.WriteString(w.S)
			}
			b.WriteString("\n")
		}
	}
	fmt.Print(b.String())
}
GO
(cd "$tmp/lib" && go mod init m >/dev/null 2>&1 && GOFLAGS=-mod=mod go get github.com/ledongthuc/pdf@latest >/dev/null 2>&1 && go build -o ldpdf .)
cd "$tmp" && python3 - <<'PY'
import glob, os, re, subprocess, time
def flat(t):
    t = re.sub(r'\s+', '', t)
    return t, [s for s in re.split(r'(?<=[。！？；])', t) if len(s) >= 8]
for pdf in sorted(glob.glob('pdf/*.pdf')):
    name = os.path.basename(pdf)[:-4]
    _, ss = flat(open(name + '.txt').read())
    for tool, cmd in [('pdftotext', ['pdftotext', '-enc', 'UTF-8', pdf, '-']), ('ledongthuc', ['lib/ldpdf', pdf])]:
        t0 = time.time(); out = subprocess.run(cmd, capture_output=True, text=True).stdout; dt = time.time() - t0
        text, _ = flat(out)
        found = [text.find(s) for s in ss]
        pos = [f for f in found if f >= 0]
        rec = len(pos) / len(ss)
        order = sum(1 for a, b in zip(pos, pos[1:]) if b > a) / max(1, len(pos) - 1)
        print(f"{name:36s} {tool:11s} sentences={len(ss):4d} recall={rec:.3f} in_order={order:.3f} {dt:.2f}s")
PY

package corpus

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/reportbot/reportbot/internal/safetext"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/reportbot/reportbot/hanzi"
)

func FuzzDecode(f *testing.F) {
	f.Add([]byte(sampleZH))
	f.Add(append([]byte{0xEF, 0xBB, 0xBF}, sampleZH...))
	if gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(sampleZH)); err == nil {
		f.Add(gbk)
	}
	f.Add([]byte{0xFF, 0xFE, 'a', 0, 0x3D, 0xD8})
	f.Add([]byte("caf\xe9\x00"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := decode(b)
		if err != nil {
			if !errors.Is(err, ErrBinary) && !errors.Is(err, ErrEncoding) {
				t.Fatalf("decode() error %v wraps neither ErrBinary nor ErrEncoding", err)
			}
			return
		}
		if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
			t.Fatalf("decode() = %q: invalid UTF-8 or NUL", s)
		}
		if utf8.Valid(b) && !bytes.HasPrefix(b, bomUTF16LE) && !bytes.HasPrefix(b, bomUTF16BE) {
			if want := strings.TrimPrefix(string(b), "\uFEFF"); s != want {
				t.Fatalf("decode(valid UTF-8) = %q, want %q", s, want)
			}
		}
	})
}

// squeeze drops what cleaning may drop or add between kept text: spaces,
// line breaks, zero-width and control characters.
func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) || isZeroWidth(r) || isStrayControl(r) || r == 0x1A || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// figuresFolded is squeeze with full-width digits and the marks around
// figures written in ASCII, whichever line they stood on: the texts clean
// may rewrite compare equal.
func figuresFolded(s string) string {
	return strings.NewReplacer("，", ",", "．", ".", "％", "%").Replace(hanzi.FoldWidthDigits(squeeze(s)))
}

func FuzzClean(f *testing.F) {
	f.Add("IE版本小于11,请升级IE版本! x\n当前位置:\n\n某区2018年政府工作报告\n\n来源: 某区政府 发布时间: 2018-01-24\n\n各位代表:\n\n正文。\n\n附件:\n分享到:", "")
	f.Add("细颗粒物（PM\n2.5\n）下降。\n\n“\n一带一路\n”建设。\n\nPublic domain\nfalse", "")
	f.Add("# 标题\r\n\r\n\u200b\u3000正文\v第二行\u2028第三行", "标题")
	f.Add("一、回顾\n(一)任务。正文。\n()缺号\n", "x")
	f.Fuzz(func(t *testing.T, s, hint string) {
		c := clean(s, hint)
		// Figures may be rewritten (full-width digits folded, spaced
		// digits joined): compare texts with figures folded. Terminal
		// escape sequences go whole, with the characters they end in
		// (safetext.Text, which clean runs first).
		all := figuresFolded(safetext.Text(s))
		for i, p := range c.paras {
			if p == "" || strings.TrimSpace(p) != p || strings.ContainsAny(p, "\n\r") || !utf8.ValidString(p) {
				t.Fatalf("paragraph %d = %q: empty, untrimmed, multi-line or invalid", i, p)
			}
			if !strings.Contains(all, figuresFolded(p)) {
				t.Fatalf("paragraph %d = %q is not text of the input", i, p)
			}
		}
		if c.date != "" && len(c.date) != len("2006-01-02") {
			t.Fatalf("date = %q", c.date)
		}
		if len(c.paras) > 0 {
			if err := noTextError(c.paras); err != nil && !errors.Is(err, ErrNoText) {
				t.Fatalf("noTextError() = %v, want nil or ErrNoText", err)
			}
		}
	})
}

func FuzzHeadings(f *testing.F) {
	for _, s := range []string{
		"一、2017年工作回顾", "()深入推进绿色发展,努力打造生态武清。牢固树立理念。", "（十二）标题", "提升就业服务质效。深入实施。",
		"一是保持宏观政策连续性。", "——经济保持恢复发展。国内生产总值。", "二、二〇一八年主要任务", "来源：某 发布时间：2018-01-24",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if h, ok := parseL1(line); ok && (h.num < 1 || h.num > 99 || h.title == "") {
			t.Fatalf("parseL1(%q) = %+v", line, h)
		}
		if h, ok := parseL2(line); ok {
			if h.title == "" || !strings.Contains(line, h.title) || h.num < 0 || h.num > 99 {
				t.Fatalf("parseL2(%q) = %+v", line, h)
			}
			_ = h.text(h.num + 1)
		}
		if lead, ok := leadSentence(line); ok && (lead == "" || !strings.Contains(line, lead)) {
			t.Fatalf("leadSentence(%q) = %q", line, lead)
		}
		if h, ok := ordinalHeading(line); ok && !strings.Contains(line, h) {
			t.Fatalf("ordinalHeading(%q) = %q", line, h)
		}
		if y := titleYear(line); y != 0 && !hanzi.ValidYear(y) {
			t.Fatalf("titleYear(%q) = %d", line, y)
		}
		var c cleaned
		if isMetaLine(line) {
			c.parseMetaLine(line)
		}
		_ = findDate(line)
		_, _ = headingPeriod(line)
		for _, info := range structure([]string{line, "(一)" + line, line}, 2018) {
			for _, h := range info.path {
				if h == "" {
					t.Fatalf("empty heading in path %q", info.path)
				}
			}
		}
	})
}

func FuzzSplit(f *testing.F) {
	f.Add("各位代表:\n一、2017年工作回顾\n融入协同发展取得新成效。坚决服从。\n()深入推进。正文。", 0, 0, 2018)
	f.Add(strings.Repeat("没有标点的很长的句子", 50)+"\n"+strings.Repeat("短句。", 100), 30, 10, 0)
	f.Add(" \n\t\u3000甲。  乙！丙？”\r\n", 2, 1, 2020)
	f.Add("a\xffb。c", 1, -1, 1)
	f.Fuzz(func(t *testing.T, text string, maxRunes, overlap, year int) {
		opt := SplitOptions{MaxRunes: maxRunes % 1000, OverlapRunes: overlap % 400}
		r := Report{ID: "fuzz", Text: text, Year: year % 3000}
		checkPassages(t, r, opt, Split(r, opt))
	})
}

func FuzzHTMLToText(f *testing.F) {
	f.Add("<p>&ldquo;正文&rdquo;</p><script>x<y</script><!-- c -->")
	f.Add("<a title=\"a>b\">x</a><pre>\n</pre><![CDATA[<p>]]><")
	f.Fuzz(func(t *testing.T, s string) {
		text, _ := htmlToText(s)
		if utf8.ValidString(s) && !utf8.ValidString(text) {
			t.Fatalf("htmlToText(%q) = %q: invalid UTF-8", s, text)
		}
	})
}

func FuzzParseSidecar(f *testing.F) {
	f.Add("title: \"报告\"\nyear: 2018 # c\npublish_date: 2018-01-24\n")
	f.Add("url: 'a''b'\n---\n  x: y")
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parseSidecar("fuzz.meta.yaml", s)
		if err == nil && m.year != 0 && !hanzi.ValidYear(m.year) {
			t.Fatalf("parseSidecar(%q).year = %d", s, m.year)
		}
	})
}

// FuzzJoinSpacedDigits checks that joining spaced digits only ever removes
// spaces, and leaves text without them unchanged.
func FuzzJoinSpacedDigits(f *testing.F) {
	f.Add("1 9 9 7 年粮食产量达到4 9 2 5 0 万吨")
	f.Add("第 1 2 条 1 2 3")
	f.Add("达到 1 0 0 0 亿元")
	f.Fuzz(func(t *testing.T, s string) {
		got := joinSpacedDigits(s)
		if strings.ReplaceAll(got, " ", "") != strings.ReplaceAll(s, " ", "") {
			t.Fatalf("joinSpacedDigits(%q) = %q changed more than spaces", s, got)
		}
		if !strings.Contains(s, " ") && got != s {
			t.Fatalf("joinSpacedDigits(%q) = %q changed text without spaces", s, got)
		}
	})
}

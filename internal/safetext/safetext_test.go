package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestTextAndLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, text, line string
	}{
		{"plain", "政府工作报告 2018", "政府工作报告 2018", "政府工作报告 2018"},
		{"colour", "\x1b[31;1m红色\x1b[0m字", "红色字", "红色字"},
		{"clear screen", "a\x1b[2J\x1b[Hb", "ab", "ab"},
		{"title set", "x\x1b]0;pwned\x07y", "xy", "xy"},
		{"hyperlink", "\x1b]8;;http://evil\x1b\\click\x1b]8;;\x1b\\", "click", "click"},
		{"unterminated osc", "a\x1b]0;title\nnext", "a\nnext", "a next"},
		{"charset", "a\x1b(Bb\x1bMc", "abc", "abc"},
		{"lone esc", "a\x1b", "a", "a"},
		{"c1 csi", "a\u009b31mb", "ab", "ab"},
		{"c1 osc", "a\u009d0;t\u009cb", "ab", "ab"},
		{"controls", "a\x00b\x07c\x7fd\u0085e", "abcd\ne", "abcd e"},
		{"bidi override", "abc\u202Egnp.exe\u202C", "abcgnp.exe", "abcgnp.exe"},
		{"bidi isolates and marks", "\u2066a\u2069\u200Fb\u200E\u061C", "ab", "ab"},
		{"newline forges a line", "标题\n[9] fake source", "标题\n[9] fake source", "标题 [9] fake source"},
		{"crlf", "a\r\nb\rc", "a\nb\nc", "a b c"},
		{"tabs and separators", "a\tb\u2028c\u2029d\ve\ff", "a\tb\nc\nd e f", "a b c d e f"},
		{"invalid utf-8", "a\xffb", "a\uFFFDb", "a\uFFFDb"},
		{"zero-width kept", "a\u200bb", "a\u200bb", "a\u200bb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Text(tt.in); got != tt.text {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.text)
			}
			if got := Line(tt.in); got != tt.line {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.line)
			}
		})
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "政府工作报告", "\x1b[31mred\x1b[0m", "\x1b]0;t\x07", "a\u202Eb", "x\n[9] y", "\r\n\x85\u2028", "\x1b\x1b[", "\u009b1;2", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, line := range []bool{false, true} {
			got := clean(s, line)
			if !utf8.ValidString(got) {
				t.Fatalf("clean(%q, %v) = %q: invalid UTF-8", s, line, got)
			}
			for _, r := range got {
				bad := IsBidi(r) || isControl(r) && r != '\n' && r != '\t' || r == 0x2028 || r == 0x2029
				if line {
					bad = bad || r == '\n' || r == '\t'
				}
				if bad {
					t.Fatalf("clean(%q, %v) = %q: holds %U", s, line, got, r)
				}
			}
			if again := clean(got, line); again != got {
				t.Fatalf("clean not idempotent: %q → %q → %q", s, got, again)
			}
			if len(got) > len(s)+2*strings.Count(s, "\xff") {
				// Only invalid bytes (1 → 3 bytes of U+FFFD) can grow.
				if !utf8.ValidString(s) {
					continue
				}
				t.Fatalf("clean(%q, %v) grew to %q", s, line, got)
			}
			if isSafe(s, line) && got != s {
				t.Fatalf("clean changed safe text %q to %q", s, got)
			}
		}
	})
}

package rag

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/query"
)

func TestCleanQuestion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
		err            error
	}{
		{"plain", "2018年新增就业目标是多少?", "2018年新增就业目标是多少?", nil},
		{"full-width digits", "２０１８年ＧＤＰ增长７．５％吗?", "2018年ＧＤＰ增长7.5%吗?", nil},
		{"empty", "", "", query.ErrEmptyQuestion},
		{"whitespace only", " \t\n\u3000 ", "", query.ErrEmptyQuestion},
		{"control characters", "2018年\x00新增\x1b[31m就业\u200b目标", "2018年 新增 [31m就业 目标", nil},
		{"invalid UTF-8", "2018年\xff\xfe新增就业", "2018年 新增就业", nil},
		{"only invalid bytes", "\xff\xfe\xfd", "", query.ErrEmptyQuestion},
		{"10,000 characters", strings.Repeat("新增就业", 2500), "", query.ErrQuestionTooLong},
		{"at the limit", strings.Repeat("问", query.MaxQuestionRunes), strings.Repeat("问", query.MaxQuestionRunes), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := query.Clean(tt.in)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("CleanQuestion = %q, %v; want %q, %v", got, err, tt.want, tt.err)
			}
			if err == nil && !utf8.ValidString(got) {
				t.Errorf("result is not valid UTF-8: %q", got)
			}
		})
	}
}

func FuzzCleanQuestion(f *testing.F) {
	for _, s := range []string{"2018年新增就业目标是多少?", "\xff\x00", " ", "@everyone", strings.Repeat("a ", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := query.Clean(s)
		if err != nil {
			return
		}
		if got == "" || !utf8.ValidString(got) || utf8.RuneCountInString(got) > query.MaxQuestionRunes || strings.TrimSpace(got) != got {
			t.Fatalf("CleanQuestion(%q) = %q", s, got)
		}
		for _, r := range got {
			if r < 0x20 || r == 0x7f {
				t.Fatalf("control character %U left in %q", r, got)
			}
		}
	})
}

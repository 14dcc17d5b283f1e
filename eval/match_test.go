package eval

import "testing"

func TestContainsAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ans, want string
		ok        bool
	}{
		{"增长5%左右", "5%", true},
		{"增长18%", "8%", false},
		{"增长5.5%", "5%", false},
		{"增长5.5%", "5.5%", true},
		{"增长15.5%", "5.5%", false},
		{"增长15", "5", false},
		{"增长5.", "5", true}, // a full stop after a figure ends it
		{"1,494,000 jobs", "494,000", false},
		{"5%-5.5%", "5%-5.5%", true},
		{"18%, then 8%", "8%", true}, // a later whole occurrence counts
		{"新增就业60万人", "60万", true},
		{"新增就业160万人", "60万", false},
		{"玉如意", "玉如意", true},
		{"", "5%", false},
		{"5%", "", false},
	}
	for _, tt := range tests {
		if got := ContainsAnswer(tt.ans, tt.want); got != tt.ok {
			t.Errorf("ContainsAnswer(%q, %q) = %v, want %v", tt.ans, tt.want, got, tt.ok)
		}
	}
}

func FuzzContainsAnswer(f *testing.F) {
	f.Add("增长5.5%", "5%")
	f.Add("18%, then 8%", "8%")
	f.Fuzz(func(t *testing.T, ans, want string) {
		if ContainsAnswer(ans, want) && !containsPlain(ans, want) {
			t.Fatalf("ContainsAnswer(%q, %q) without a plain occurrence", ans, want)
		}
	})
}

func containsPlain(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

package query

import "testing"

func TestNeedsContext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		q    string
		want bool
	}{
		{"2017年呢?", true},
		{"那目标是多少?", true},
		{"江西呢？", true},
		{"and 2017?", true},
		{"What about Jiangxi?", true},
		{"what about the target?", true},
		{"GDP呢?", false},
		{"那粮食产量呢?", false},
		{"what about the grain output?", false},
		{"2018年GDP增长目标", false},
		{"GDP增长目标", false},
		{"江西今年GDP目标增速是多少？", false},
		{"How many new urban jobs?", false},
	}
	for _, tt := range tests {
		q := Analyze(tt.q, nil, nil)
		if got := NeedsContext(q); got != tt.want {
			t.Errorf("NeedsContext(%q) = %v, want %v", tt.q, got, tt.want)
		}
	}
}

package bot

import "testing"

func TestReportURL(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"https://www.gov.cn/a.htm", "https://www.gov.cn/a.htm"},
		{"http://example.org/r", "http://example.org/r"},
		{"javascript:alert(1)", ""},
		{"https://x.org/a b", ""},
		{"https://x.org/<@123>", ""},
		{"", ""},
	} {
		if got := reportURL(tt.in); got != tt.want {
			t.Errorf("reportURL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

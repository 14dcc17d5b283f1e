package answer

import (
	"strings"
	"testing"
)

func TestFormatCitationURL(t *testing.T) {
	t.Parallel()
	c := Citation{ReportTitle: "2022年政府工作报告", Year: 2022, Paragraph: 3, URL: "https://www.gov.cn/premier/2022-03/12/content_5678750.htm"}
	if got := FormatCitation(c); !strings.HasSuffix(got, " · https://www.gov.cn/premier/2022-03/12/content_5678750.htm") {
		t.Errorf("FormatCitation = %q, want the URL at the end", got)
	}
	c.URL = ""
	if got := FormatCitation(c); strings.Contains(got, "http") {
		t.Errorf("FormatCitation without a URL = %q", got)
	}
}

package corpus

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/text/encoding/simplifiedchinese"
)

func TestDefault(t *testing.T) {
	t.Parallel()
	reports, problems, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	if len(problems) > 0 {
		t.Errorf("Default() problems = %v", problems)
	}
	var ids []string
	for _, r := range reports {
		ids = append(ids, r.ID)
	}
	if want := []string{"wuqing-2018-government-work-report", "wuqing-later-report-fragment"}; !slices.Equal(ids, want) {
		t.Fatalf("Default() IDs = %q, want %q", ids, want)
	}
	tests := []struct {
		got, want Report
	}{
		{reports[0], Report{
			ID: "wuqing-2018-government-work-report", Title: "武清区2018年政府工作报告", TitleFromText: true,
			Publisher: "武清区人民政府办公室", PublishDate: "2018-01-24", Year: 2018,
			Source: "reports/wuqing-2018-government-work-report.txt", Place: "120114", // 武清区, from the title
		}},
		{reports[1], Report{
			ID: "wuqing-later-report-fragment", Title: "wuqing-later-report-fragment", TitleFromText: false,
			Source: "reports/wuqing-later-report-fragment.txt", Place: "120114", // from the file name's "wuqing"
		}},
	}
	for _, tt := range tests {
		got := tt.got
		if got.Text == "" || len(got.Hash) != 64 {
			t.Errorf("%s: empty text or bad hash %q", got.ID, got.Hash)
		}
		got.Text, got.Hash = "", ""
		if !got.Equal(tt.want) {
			t.Errorf("report = %+v, want %+v", got, tt.want)
		}
	}
}

func TestLoadProblems(t *testing.T) {
	t.Parallel()
	seed := readSeed(t, seed2018)
	frag := readSeed(t, seedFragment)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(frag)
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"in/a-2018.txt":                 {Data: []byte(seed)},
		"in/b-copy.txt":                 {Data: []byte(seed + "\n\n")}, // same cleaned text
		"in/sub/frag-gbk.txt":           {Data: []byte(gbk)},
		"in/frag-bom.md":                {Data: append([]byte{0xEF, 0xBB, 0xBF}, "# 标题\n\n新的一段正文。"...)},
		"in/latin1.txt":                 {Data: []byte("caf\xe9 r\xe9sum\xe9")},
		"in/binary.txt":                 {Data: []byte("GIF89a\x00\x01\x02")},
		"in/empty.txt":                  {Data: nil},
		"in/cruft-only.html":            {Data: []byte("<div>当前位置：首页</div><div>【打印本页】【关闭窗口】</div>")},
		"in/report.xls":                 {Data: []byte("\xd0\xcf\x11\xe0")},
		"in/.hidden.txt":                {Data: []byte("隐藏文件。")},
		"in/.git/config":                {Data: []byte("[core]")},
		"in/orphan.meta.yaml":           {Data: []byte("year: 2018\n")},
		"in/with-meta.txt":              {Data: []byte("正文第一段。\n\n正文第二段。")},
		"in/with-meta.meta.yaml":        {Data: []byte("title: 某区2023年政府工作报告\npublisher: 某区人民政府\npublish_date: 2023-01-10\nurl: https://example.org/r\n")},
		"in/bad-meta.txt":               {Data: []byte("另一份报告的正文。")},
		"in/bad-meta.meta.yaml":         {Data: []byte("title: x\nauthor: y\n")},
		"in/year-only.txt":              {Data: []byte("只有年份的报告正文。")},
		"in/year-only.meta.yaml":        {Data: []byte("year: 2021\n")},
		"in/title-beats-meta.txt":       {Data: []byte("某县2019年政府工作报告\n\n各位代表：\n\n报告正文。")},
		"in/title-beats-meta.meta.yaml": {Data: []byte("year: 2020\n")},
	}
	reports, problems, err := Load(fsys, "in", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	gotProblems := map[string]error{}
	for _, p := range problems {
		gotProblems[p.Source] = p.Err
	}
	wantProblems := map[string]error{
		"in/b-copy.txt":         ErrDuplicate,
		"in/latin1.txt":         ErrEncoding,
		"in/binary.txt":         ErrBinary,
		"in/empty.txt":          ErrEmpty,
		"in/cruft-only.html":    ErrEmpty,
		"in/report.xls":         ErrUnsupported,
		"in/orphan.meta.yaml":   ErrMeta,
		"in/bad-meta.meta.yaml": ErrMeta,
	}
	for src, want := range wantProblems {
		if got := gotProblems[src]; !errors.Is(got, want) {
			t.Errorf("problem for %s = %v, want %v", src, got, want)
		}
	}
	for src, got := range gotProblems {
		if wantProblems[src] == nil {
			t.Errorf("unexpected problem %s: %v", src, got)
		}
	}

	byID := map[string]Report{}
	var ids []string
	for _, r := range reports {
		byID[r.ID] = r
		ids = append(ids, r.ID)
	}
	wantIDs := []string{"a-2018", "frag-bom", "sub/frag-gbk", "title-beats-meta", "with-meta", "year-only"}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("IDs = %q, want %q", ids, wantIDs)
	}
	c := clean(frag, "")
	if got, want := byID["sub/frag-gbk"].Text, c.text(); got != want {
		t.Errorf("GBK report text differs from the UTF-8 original")
	}
	if got := byID["frag-bom"]; got.Title != "标题" || got.Text != "新的一段正文。" {
		t.Errorf("Markdown with BOM = %q, %q", got.Title, got.Text)
	}
	tests := []struct {
		id                     string
		title, publisher, date string
		year                   int
		fromText               bool
		url                    string
	}{
		{"with-meta", "某区2023年政府工作报告", "某区人民政府", "2023-01-10", 2023, true, "https://example.org/r"},
		{"year-only", "year-only", "", "", 2021, false, ""},
		{"title-beats-meta", "某县2019年政府工作报告", "", "", 2019, true, ""},
	}
	for _, tt := range tests {
		r := byID[tt.id]
		if r.Title != tt.title || r.Publisher != tt.publisher || r.PublishDate != tt.date || r.Year != tt.year ||
			r.TitleFromText != tt.fromText || r.URL != tt.url {
			t.Errorf("%s = %+v", tt.id, r)
		}
	}
}

func TestLoadTooLarge(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{"r/big.txt": {Data: []byte(strings.Repeat("很长。", 100))}}
	reports, problems, err := Load(fsys, "r", LoadOptions{MaxFileBytes: 100})
	if err != nil || len(reports) != 0 || len(problems) != 1 || !errors.Is(problems[0].Err, ErrTooLarge) {
		t.Errorf("Load() = %v, %v, %v; want one ErrTooLarge problem", reports, problems, err)
	}
}

func TestLoadIDs(t *testing.T) {
	t.Parallel()
	fsys := fstest.MapFS{
		"d/Report 2018.txt":  {Data: []byte("甲报告正文。")},
		"d/report-2018.md":   {Data: []byte("乙报告正文。")},
		"d/report_2018.html": {Data: []byte("<p>丙报告正文。</p>")},
	}
	reports, problems, err := Load(fsys, "d", LoadOptions{})
	if err != nil || len(problems) > 0 {
		t.Fatalf("Load() = %v, %v", problems, err)
	}
	var got []string
	for _, r := range reports {
		got = append(got, r.ID+"="+r.Text)
	}
	want := []string{"report-2018=甲报告正文。", "report-2018-html=丙报告正文。", "report-2018-md=乙报告正文。"}
	if !slices.Equal(got, want) {
		t.Errorf("IDs = %q, want %q", got, want)
	}
	reports, _, err = Load(fsys, "d/report-2018.md", LoadOptions{})
	if err != nil || len(reports) != 1 || reports[0].ID != "report-2018" {
		t.Errorf("Load(file root) = %+v, %v", reports, err)
	}
}

func TestLoadFSError(t *testing.T) {
	t.Parallel()
	_, _, err := Load(fstest.MapFS{}, "missing", LoadOptions{})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(missing root) error = %v, want fs.ErrNotExist", err)
	}
}

func TestLoadJSONL(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/national-sample.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"national-sample.jsonl": {Data: b}}
	reports, problems, err := Load(fsys, ".", LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var jsonlProblems []Problem
	for _, p := range problems {
		if strings.HasPrefix(p.Source, "national-sample.jsonl") {
			jsonlProblems = append(jsonlProblems, p)
		}
	}
	if len(jsonlProblems) != 1 || jsonlProblems[0].Source != "national-sample.jsonl:3" || !errors.Is(jsonlProblems[0].Err, ErrJSONL) {
		t.Errorf("JSONL problems = %v, want one ErrJSONL for line 3", jsonlProblems)
	}
	byTitle := map[string]Report{}
	for _, r := range reports {
		if strings.HasPrefix(r.Source, "national-sample.jsonl:") {
			byTitle[r.Title] = r
			if !strings.HasPrefix(r.ID, "national-sample-") || len(r.ID) != len("national-sample-")+8 {
				t.Errorf("JSONL report ID = %q", r.ID)
			}
		}
	}
	if len(byTitle) != 3 {
		t.Fatalf("JSONL reports = %d, want 3", len(byTitle))
	}
	r2022 := byTitle["2022年中华人民共和国国务院政府工作报告"]
	if r2022.Year != 2022 || !strings.HasPrefix(r2022.URL, "https://zh.wikisource.org/") || r2022.PublishDate != "2022-03-05" {
		t.Errorf("2022 report = %+v", r2022)
	}
	for _, bad := range []string{"公有领域", "Public domain", "false", "著作权法"} {
		if strings.Contains(r2022.Text, bad) {
			t.Errorf("2022 report text contains %q", bad)
		}
	}
	if !strings.Contains(r2022.Text, "细颗粒物（PM2.5）平均浓度下降9.1%") {
		t.Errorf("2022 report: link breaks not joined")
	}
	var got []Period
	for _, p := range Split(r2022, SplitOptions{}) {
		if len(p.HeadingPath) == 1 {
			got = append(got, p.Period)
		}
	}
	got = slices.Compact(got)
	if want := []Period{{2021, PeriodActual}, {2022, PeriodTarget}}; !slices.Equal(got, want) {
		t.Errorf("2022 level-1 periods = %v, want %v", got, want)
	}
	res := byTitle["第十二届全国人民代表大会第五次会议关于政府工作报告的决议"]
	if res.Year != 0 || !strings.HasPrefix(res.Text, "第十二届全国人民代表大会第五次会议听取和审议了国务院总理李克强所作的政府工作报告。会议") {
		t.Errorf("resolution = %d %q", res.Year, res.Text)
	}
	if r := byTitle["数字年份测试"]; r.Year != 2020 {
		t.Errorf("numeric JSONL year = %d, want 2020", r.Year)
	}
}

func TestJSONYear(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"", 0, false}, {"null", 0, false}, {`""`, 0, false}, {"2018", 2018, false}, {`"2018"`, 2018, false},
		{`"2018年"`, 2018, false}, {`"unknown"`, 0, true}, {"18", 0, true}, {"2018.5", 0, true}, {`true`, 0, true},
	}
	for _, tt := range tests {
		got, err := jsonYear([]byte(tt.in))
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("jsonYear(%s) = %d, %v; want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"wuqing-2018-government-work-report.txt", "wuqing-2018-government-work-report"},
		{"Sub Dir/Report_2018 (final).HTML", "sub-dir/report-2018-final"},
		{"武清区/2018年政府工作报告.txt", "武清区/2018年政府工作报告"},
		{"--.txt", "report"},
	}
	for _, tt := range tests {
		if got := slug(tt.in); got != tt.want {
			t.Errorf("slug(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLoadDuplicates checks which of two files with the same cleaned text
// is kept: the one with a title (not a file-name fallback), else a year,
// else more metadata, else the first in path order, whichever name sorts
// first; the other is a problem naming the kept one.
func TestLoadDuplicates(t *testing.T) {
	t.Parallel()
	const (
		body      = "各位代表：\n\n现在，我代表区人民政府向大会报告政府工作，请予审议。\n\n全年新增就业5.2万人。\n"
		titled    = "某区2021年政府工作报告\n\n" + body
		undated   = "某区政府工作报告\n\n" + body
		withMeta  = "title: 某区政府工作报告\npublisher: 某区人民政府\nurl: https://example.org/r\n"
		yearMeta  = "year: 2021\n"
		jsonlLine = `{"title": "某区2021年政府工作报告", "year": 2021, "url": "https://example.org/j", "content": "%s"}`
	)
	tests := []struct {
		name       string
		files      fstest.MapFS
		kept, drop string
		keptID     string
	}{
		{"titled copy sorts last", fstest.MapFS{"a-copy.txt": {Data: []byte(body)}, "b-2021.txt": {Data: []byte(titled)}},
			"b-2021.txt", "a-copy.txt", "b-2021"},
		{"titled copy sorts first", fstest.MapFS{"a-2021.txt": {Data: []byte(titled)}, "b-copy.txt": {Data: []byte(body)}},
			"a-2021.txt", "b-copy.txt", "a-2021"},
		{"title with a year beats title only", fstest.MapFS{"a.txt": {Data: []byte(undated)}, "b.txt": {Data: []byte(titled)}},
			"b.txt", "a.txt", "b"},
		{"sidecar year beats none", fstest.MapFS{
			"a.txt": {Data: []byte(undated)}, "b.txt": {Data: []byte(undated)}, "b.meta.yaml": {Data: []byte(yearMeta)},
		}, "b.txt", "a.txt", "b"},
		{"more metadata wins", fstest.MapFS{
			"a.txt": {Data: []byte(undated)}, "b.txt": {Data: []byte(body)}, "b.meta.yaml": {Data: []byte(withMeta)},
		}, "b.txt", "a.txt", "b"},
		{"equal: first in path order", fstest.MapFS{"a.txt": {Data: []byte(titled)}, "b.txt": {Data: []byte(titled + "\n\n")}},
			"a.txt", "b.txt", "a"},
		{"same name, other extension: the kept copy takes the plain ID", fstest.MapFS{
			"r.html": {Data: []byte("<p>" + strings.ReplaceAll(body, "\n\n", "</p><p>") + "</p>")}, "r.txt": {Data: []byte(titled)},
		}, "r.txt", "r.html", "r"},
		{"JSONL line with metadata beats a bare file", fstest.MapFS{
			"a.txt":   {Data: []byte(body)},
			"b.jsonl": {Data: []byte(fmt.Sprintf(jsonlLine, strings.ReplaceAll(body, "\n", `\n`)))},
		}, "b.jsonl:1", "a.txt", ""},
	}
	t.Run("three copies, the richest last", func(t *testing.T) {
		t.Parallel()
		files := fstest.MapFS{
			"a.txt": {Data: []byte(body)}, "b.txt": {Data: []byte(undated)}, "c.txt": {Data: []byte(undated)},
			"d.txt": {Data: []byte(titled)}, "e.txt": {Data: []byte(body)},
		}
		reports, problems, err := Load(files, ".", LoadOptions{})
		if err != nil || len(reports) != 1 || reports[0].Source != "d.txt" {
			t.Fatalf("Load() = %+v, %v; want d.txt kept", reports, err)
		}
		var dropped []string
		for _, p := range problems {
			dropped = append(dropped, p.Source)
			if !errors.Is(p.Err, ErrDuplicate) || !strings.Contains(p.Err.Error(), "same text as d.txt") {
				t.Errorf("problem %s: %v; want a duplicate of d.txt", p.Source, p.Err)
			}
		}
		slices.Sort(dropped)
		if want := []string{"a.txt", "b.txt", "c.txt", "e.txt"}; !slices.Equal(dropped, want) {
			t.Errorf("dropped %q, want %q", dropped, want)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			reports, problems, err := Load(tt.files, ".", LoadOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if len(reports) != 1 || reports[0].Source != tt.kept {
				t.Fatalf("kept %+v, want only %s", reports, tt.kept)
			}
			if tt.keptID != "" && reports[0].ID != tt.keptID {
				t.Errorf("kept ID = %q, want %q", reports[0].ID, tt.keptID)
			}
			if len(problems) != 1 || problems[0].Source != tt.drop || !errors.Is(problems[0].Err, ErrDuplicate) ||
				!strings.Contains(problems[0].Err.Error(), tt.kept) {
				t.Fatalf("problems = %v, want %s as a duplicate of %s", problems, tt.drop, tt.kept)
			}
		})
	}
}

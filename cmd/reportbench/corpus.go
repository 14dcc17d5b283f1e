package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode/utf8"

	"github.com/reportbot/reportbot/corpus"
)

// benchPlaces are the provincial-level divisions a national report is
// re-issued for in the scale corpus, with the word a province uses for
// itself ("全省", "我省").
var benchPlaces = []struct{ name, self string }{
	{"北京市", "市"}, {"天津市", "市"}, {"河北省", "省"}, {"山西省", "省"}, {"内蒙古自治区", "区"},
	{"辽宁省", "省"}, {"吉林省", "省"}, {"黑龙江省", "省"}, {"上海市", "市"}, {"江苏省", "省"},
	{"浙江省", "省"}, {"安徽省", "省"}, {"福建省", "省"}, {"江西省", "省"}, {"山东省", "省"},
	{"河南省", "省"}, {"湖北省", "省"}, {"湖南省", "省"}, {"广东省", "省"}, {"广西壮族自治区", "区"},
	{"海南省", "省"}, {"重庆市", "市"}, {"四川省", "省"}, {"贵州省", "省"}, {"云南省", "省"},
	{"西藏自治区", "区"}, {"陕西省", "省"}, {"甘肃省", "省"}, {"青海省", "省"}, {"宁夏回族自治区", "区"},
	{"新疆维吾尔自治区", "区"},
}

// shiftYears adds shift to every year written as "YYYY年" (19xx or 20xx)
// that does not continue a number: the four digits are preceded by the
// start of s or by a character other than a digit or ".". Matches do not
// overlap: in "2018年2019年" the second year's preceding character is the
// first match's 年, so only the first moves (as the regular expression
// `(^|[^0-9.])((?:19|20)[0-9]{2})年` replaces, which this scan replaced for
// speed: it was half of a million-passage scale corpus's time).
func shiftYears(s string, shift int) string {
	if shift == 0 {
		return s
	}
	var b strings.Builder
	done, end := 0, 0 // copied up to done; the last match ended at end
	for i := 0; ; {
		j := strings.Index(s[i:], "年")
		if j < 0 {
			break
		}
		p := i + j
		i = p + len("年")
		if p < 4 || !isYear(s[p-4:p]) {
			continue
		}
		if p > 4 { // else the year starts s
			r, size := utf8.DecodeLastRuneInString(s[:p-4])
			if p-4-size < end || r == '.' || ('0' <= r && r <= '9') {
				continue
			}
		}
		y, _ := strconv.Atoi(s[p-4 : p])
		b.WriteString(s[done : p-4])
		b.WriteString(strconv.Itoa(y + shift))
		done, end = p, i
	}
	if done == 0 {
		return s
	}
	b.WriteString(s[done:])
	return b.String()
}

// isYear reports whether d is four ASCII digits starting with 19 or 20.
func isYear(d string) bool {
	for i := range 4 {
		if d[i] < '0' || d[i] > '9' {
			return false
		}
	}
	return d[:2] == "19" || d[:2] == "20"
}

// variantReport re-issues a national report r as variant v (v >= 1): the
// State Council becomes the people's government of a province, "全国" and
// "我国" become the province's own words, and every year moves by the same
// shift. Variant 0 is r itself.
func variantReport(r corpus.Report, v int) corpus.Report {
	if v == 0 {
		return r
	}
	p := benchPlaces[(v-1)%len(benchPlaces)]
	shift := 1 + (v-1)%5
	rep := strings.NewReplacer(
		"中华人民共和国国务院", p.name+"人民政府",
		"全国人民代表大会", p.name+"人民代表大会",
		"国务院", p.name+"人民政府",
		"全国", "全"+p.self,
		"我国", "我"+p.self,
	)
	out := r
	out.Title = shiftYears(rep.Replace(r.Title), shift)
	if !strings.Contains(out.Title, p.name) {
		out.Title = p.name + out.Title
	}
	out.Text = shiftYears(rep.Replace(r.Text), shift)
	if out.Year != 0 {
		out.Year += shift
	}
	out.URL = ""
	return out
}

// scaleCorpus derives about n passages from base: the reports themselves,
// then province variants of them (variantReport) until n passages are
// reached; the last report is cut at a paragraph end. Nothing is random: the
// same base gives the same corpus. It returns the reports by variant.
func scaleCorpus(base []corpus.Report, n int, split corpus.SplitOptions) ([][]corpus.Report, int) {
	var out [][]corpus.Report
	total := 0
	seen := map[[32]byte]bool{} // texts already used: the loader skips duplicates
	workers := runtime.GOMAXPROCS(0)
	for v := 0; total < n; v++ {
		var variant []corpus.Report
		for lo := 0; lo < len(base) && total < n; lo += scaleChunk {
			for _, c := range variantChunk(base[lo:min(lo+scaleChunk, len(base))], v, split, seen, workers) {
				if total >= n {
					break
				}
				if seen[c.sum] {
					continue // nothing varied: the loader would skip it as a duplicate
				}
				vr, ps := c.r, c.ps
				if len(ps) == 0 {
					continue
				}
				if total+len(ps) > n {
					// keep the paragraphs holding the passages still needed
					last := ps[n-total-1].Paragraph
					paras := strings.Split(vr.Text, "\n")
					vr.Text = strings.Join(paras[:min(last, len(paras))], "\n")
					ps = corpus.Split(vr, split)
				}
				seen[sha256.Sum256([]byte(vr.Text))] = true
				total += len(ps)
				variant = append(variant, vr)
			}
		}
		if len(variant) > 0 {
			out = append(out, variant)
		} else if v > len(benchPlaces)*5 {
			break // base has no passages, or no more variants
		}
	}
	return out, total
}

// scaleChunk is how many base reports variantChunk prepares at once: enough
// to keep every core busy, few enough that a small corpus does not split
// reports it will not use.
const scaleChunk = 64

// scaleCandidate is one base report re-issued as a variant: the report,
// the hash of its text and its passages.
type scaleCandidate struct {
	r   corpus.Report
	sum [32]byte
	ps  []corpus.Passage
}

// variantChunk re-issues reports as variant v and splits those whose text
// is not in seen (read only), workers reports at a time; the candidates
// are in the order of reports.
func variantChunk(reports []corpus.Report, v int, split corpus.SplitOptions, seen map[[32]byte]bool, workers int) []scaleCandidate {
	out := make([]scaleCandidate, len(reports))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(workers, len(reports))) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(reports); i = int(next.Add(1)) - 1 {
				vr := variantReport(reports[i], v)
				out[i] = scaleCandidate{r: vr, sum: sha256.Sum256([]byte(vr.Text))}
				if !seen[out[i].sum] {
					out[i].ps = corpus.Split(vr, split)
				}
			}
		})
	}
	wg.Wait()
	return out
}

// writeScaleCorpus writes the scale corpus of n passages into dir as one
// JSONL file per variant, unless dir already holds it. It returns the
// number of passages.
func writeScaleCorpus(dir string, base []corpus.Report, n int, split corpus.SplitOptions) (int, error) {
	variants, total := scaleCorpus(base, n, split)
	h := sha256.New()
	for _, vs := range variants {
		for _, r := range vs {
			fmt.Fprintf(h, "%s\x00%d\x00%s\x00", r.Title, r.Year, r.Text)
		}
	}
	key := hex.EncodeToString(h.Sum(nil))
	marker := filepath.Join(dir, ".scale-corpus")
	if b, err := os.ReadFile(marker); err == nil && string(b) == key {
		return total, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return 0, fmt.Errorf("scale corpus: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("scale corpus: %w", err)
	}
	for v, vs := range variants {
		f, err := os.Create(filepath.Join(dir, fmt.Sprintf("variant-%03d.jsonl", v)))
		if err != nil {
			return 0, fmt.Errorf("scale corpus: %w", err)
		}
		w := bufio.NewWriter(f)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		for _, r := range vs {
			rec := struct {
				Title   string `json:"title"`
				Content string `json:"content"`
				Year    int    `json:"year,omitempty"`
				URL     string `json:"url,omitempty"`
			}{r.Title, r.Text, r.Year, r.URL}
			if err = enc.Encode(rec); err != nil {
				break
			}
		}
		if err == nil {
			err = w.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return 0, fmt.Errorf("scale corpus: %w", err)
		}
	}
	if err := os.WriteFile(marker, []byte(key), 0o644); err != nil {
		return 0, fmt.Errorf("scale corpus: %w", err)
	}
	return total, nil
}

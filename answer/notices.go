package answer

import (
	"fmt"
	"strings"
)

// Grounding reports what the grounding check of a model's answer found and
// did: how often it fires is a quality signal (see eval).
type Grounding struct {
	// Model is the chat model's name.
	Model string `json:"model"`
	// RemovedCitations are cited passage numbers that did not exist.
	RemovedCitations []int `json:"removed_citations,omitempty"`
	// Unsupported are figures found in no cited passage (first attempt).
	Unsupported []string `json:"unsupported,omitempty"`
	// OtherYears are the years of the cited passages when the question
	// named years and none of them was about one (first attempt).
	OtherYears []int `json:"other_years,omitempty"`
	// OtherPeriod is set when the question asked for targets (or results)
	// and every cited passage gave the other kind (first attempt).
	OtherPeriod bool `json:"other_period,omitempty"`
	// Retried is set when the answer was regenerated with the problem named.
	Retried bool `json:"retried,omitempty"`
	// FellBack is set when the extractive answer replaced the model's.
	FellBack bool `json:"fell_back,omitempty"`
	// ProviderError is set when the model could not be reached or replied
	// with garbage; the answer is then extractive.
	ProviderError bool `json:"provider_error,omitempty"`
}

// Notices shown with an answer, by language.
var (
	NoticeProvider = map[string]string{
		"zh": "语言模型暂不可用,以下为报告原文摘录。",
		"en": "The language model is unavailable right now; this answer is quoted directly from the reports.",
	}
	NoticeKeywordOnly = map[string]string{
		"zh": "语义检索暂不可用,本次仅按关键词检索。",
		"en": "Semantic search is unavailable right now; passages were found by keyword search only.",
	}
	NoticeUndated = map[string]string{
		"zh": "引用的报告未注明年份,请核对它是否为所问年份。",
		"en": "The cited report gives no year: check that it is about the year you asked for.",
	}
	NoticeScanned = map[string]string{
		"zh": "引用的段落由扫描页经文字识别(OCR)读出,请核对扫描原件。",
		"en": "A cited passage was read from a scanned page by OCR: check the scan.",
	}
	NoticeUngrounded = map[string]string{
		"zh": "模型的回答无法与引用段落核对一致,以下为报告原文摘录。",
		"en": "The model's answer could not be checked against the cited passages; this answer is quoted directly from the reports.",
	}
)

// AddScanNotice adds NoticeScanned when a citation of a is a passage read
// by OCR from a scanned page (Citation.Scanned).
func AddScanNotice(a *Answer) {
	for _, c := range a.Citations {
		if c.Scanned {
			AddNotice(a, Notice(NoticeScanned, a.Query.Lang))
			return
		}
	}
}

// AddNotice adds n to a's notices, once.
func AddNotice(a *Answer, n string) {
	if !strings.Contains(a.Notice, n) {
		a.Notice = strings.TrimSpace(a.Notice + " " + n)
	}
}

func Notice(m map[string]string, lang string) string {
	if s, ok := m[lang]; ok {
		return s
	}
	return m["en"]
}

// ThisYearNotice says which year a question's relative years (今年, 去年,
// "last year") were read from: the report year taken as "this year". For a
// question about the past five years (query.Query.FiveYears) it says which
// five.
func ThisYearNotice(lang string, year int, fiveYears bool) string {
	switch {
	case fiveYears && lang == "zh":
		return fmt.Sprintf("“过去五年”按%d—%d年理解（报告年份%d年）。", year-5, year-1, year)
	case fiveYears:
		return fmt.Sprintf("“The past five years” read as %d–%d (the report's year is %d).", year-5, year-1, year)
	case lang == "zh":
		return fmt.Sprintf("“今年”按报告年份%d年理解。", year)
	}
	return fmt.Sprintf("“This year” read as %d, the report's year.", year)
}

// NeedsContextText answers a follow-up asked with no conversation before
// it (query.NeedsContext): it asks for the whole question.
func NeedsContextText(lang string) string {
	if lang == "zh" {
		return "这个问题是接着上一个问题问的（如“2017年呢？”），但这里没有上一个问题。请把问题问完整，例如“2017年GDP增长目标是多少？”；在 Discord 的讨论串里可以直接追问。"
	}
	return `This question follows on from an earlier one ("and 2017?"), and there is none here. Ask it whole, for example "What was the GDP growth target for 2017?"; in a Discord thread you can simply follow up.`
}

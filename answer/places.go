package answer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/reportbot/reportbot/corpus"
	"github.com/reportbot/reportbot/place"
	"github.com/reportbot/reportbot/query"
)

// ErrOtherPlaces is ErrNoEvidence when passages would answer the question's
// words but every one comes from a report of a place the question did not
// name (or the corpus has no report of that place): another place's figure
// is never given as the answer.
var ErrOtherPlaces = fmt.Errorf("%w: only passages about other places", ErrNoEvidence)

// PlaceOf returns the place of a report, if known.
func PlaceOf(r corpus.Report) (place.Place, bool) {
	return place.Default().ByCode(r.Place)
}

// placeMatches reports whether a report of place code is a report of one
// of the places the question names.
func placeMatches(q query.Query, code string) bool {
	return slices.ContainsFunc(q.Places, func(p place.Place) bool { return p.Code == code })
}

// PlaceFits reports whether evidence can speak for a place the question
// names: its report is of one of those places; or its report's place is
// unknown; or its sentence names the place itself ("新增北京项目1290个" in
// a report of 武清区 answers a question about 北京项目).
func PlaceFits(q query.Query, e Evidence) bool {
	if len(q.Places) == 0 {
		return true
	}
	code := e.Hit.Report.Place
	if code == "" || placeMatches(q, code) {
		return true
	}
	return query.ContainsAny(e.Sentence, place.Names(q.Places))
}

// ReportOfPlaces reports whether a report is of one of the places q names
// (false when its place is unknown or q names none).
func ReportOfPlaces(q query.Query, r corpus.Report) bool {
	code := r.Place
	return code != "" && placeMatches(q, code)
}

// PlaceWeight is the factor applied to a passage's score for the place of
// its report: a question naming places favours their reports and
// disfavours reports of other known places.
func PlaceWeight(q query.Query, r corpus.Report) float64 {
	if len(q.Places) == 0 {
		return 1
	}
	switch code := r.Place; {
	case code == "":
		return placeUnknown
	case placeMatches(q, code):
		return placeMatch
	default:
		return placeOther
	}
}

// OtherPlacesText says that no report of the places the question names
// answers it.
func OtherPlacesText(lang string, places []place.Place) string {
	names := make([]string, len(places))
	for i, p := range places {
		names[i] = p.Label(lang)
	}
	if lang == "zh" {
		return "报告中未找到" + strings.Join(names, "、") + "的答案:相关段落都来自其他地区的报告。以下是最接近的段落,请注意地区。"
	}
	return "Not found for " + strings.Join(names, ", ") + ": the reports that answer this are about other places. " +
		"These are the closest passages; mind their places."
}

// PlaceNotice says which place's report an answer comes from, for a
// question that named none over passages of several places.
func PlaceNotice(lang string, p place.Place) string {
	if lang == "zh" {
		return "问题未指明地区,以上答案取自" + p.Label(lang) + "的报告;如需其他地区,请在问题中写明。"
	}
	return "The question names no place; this answer comes from the report of " + p.Label(lang) +
		". Name a place in the question to ask about another."
}

// SeveralPlaces reports whether hits come from reports of more than one
// known place.
func SeveralPlaces(hits []Evidence) bool {
	first := ""
	for _, h := range hits {
		code := h.Hit.Report.Place
		switch {
		case code == "":
		case first == "":
			first = code
		case code != first:
			return true
		}
	}
	return false
}

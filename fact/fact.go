package fact

import "github.com/reportbot/reportbot/corpus"

// Kind says what a figure is: a target set for a year, a result reported
// for a year, what the five years up to a year added, a plan's target for
// its five years, an average over several years or a running total.
type Kind string

// Fact kinds.
const (
	KindUnknown    Kind = ""
	KindTarget     Kind = "target"     // a goal: 预期目标, 力争, a target section
	KindResult     Kind = "result"     // an outcome: 比上年增长, a review section
	KindAverage    Kind = "average"    // 年均: a yearly average over a plan or several years
	KindCumulative Kind = "cumulative" // 累计: a total over several years
	// KindFiveYears is what the five years up to Year added, as a review
	// of a plan or of a government's term gives it (过去五年, 五年来,
	// “十四五”时期…城镇新增就业603.7万人): their total, not Year's alone.
	KindFiveYears Kind = "five-years"
	// KindPlan is what a plan's five years, up to Year, are to add
	// (“十五五”时期主要目标任务…城镇新增就业500万人以上): the plan's
	// total, not one year's. A level the plan sets is a target of Year.
	KindPlan Kind = "plan"
)

// Measures: how a figure relates to its indicator (Fact.Measure). The set
// is closed; the word the report wrote is kept in Fact.MeasureText.
const (
	MeasureGrowth     = "growth"     // 增长, 提高, 增速: a rate or amount of increase
	MeasureDecline    = "decline"    // 下降, 降低, 减少: a rate or amount of decrease
	MeasureLevel      = "level"      // 达到, 为, 突破, 增至, or no measure word: the indicator's level
	MeasureShare      = "share"      // 占…比重, 占比: a part of a whole
	MeasureLimit      = "limit"      // 控制在, 不超过, 以内: a ceiling
	MeasureCumulative = "cumulative" // 累计: a running total
	MeasureGap        = "gap"        // 高于, 快于: the difference from a comparator (高于全国8.5个百分点)
)

// Fact is one figure of a passage read as a statement about an indicator.
type Fact struct {
	// Indicator is the vocabulary entry the figure is about
	// (indicator.Indicator.ID); "" when the vocabulary names none.
	Indicator string
	// Label is the indicator's words as written: the vocabulary match,
	// else the words before the figure in its clause ("规模以上工业增加值",
	// "新增科技型企业"), or after a counter ("建成6个农业园区").
	Label string
	// Measure is one of the Measure constants.
	Measure string
	// MeasureText is the measure word as written (增长, 控制在); "" when
	// the measure was implied (no word, or the indicator's alias).
	MeasureText string
	// Value is the figure as written with its qualifiers: "5%左右",
	// "3.4万人", "5%-5.5%", "超过200家".
	Value string
	// Number is the value normalised: percent and percentage points as
	// written (5.5), scales applied (3.4万人 → 34000, 1.1万亿元 → 1.1e12).
	Number float64
	// Upper is the upper end of a range ("5%-5.5%" → 5.5); else Number.
	Upper float64
	// Unit is the normalised unit ("%", "pp", "yuan", "person"...; see
	// units.go) or the Chinese counter as written when it has no name.
	Unit string
	// Qualifier is 左右, 以上, 以内, 约, 超过... as written; "" if none.
	Qualifier string
	// Year is the year the figure is about; 0 when unknown.
	Year int
	// Kind is target, result, average or cumulative; "" when unknown.
	Kind Kind
	// Start and End are byte offsets in the passage text of the clause
	// that quotes the figure (between ，；。 and the like), trimmed.
	Start, End int
	// ValueStart and ValueEnd are the byte offsets of Value.
	ValueStart, ValueEnd int
}

// Context is what a passage's position in its report says: the year and
// kind of its section (corpus.Period), the report's own year and whether
// the passage is in a five-year review (see Review). Zero values mean
// unknown.
type Context struct {
	Year       int
	Kind       corpus.PeriodKind
	ReportYear int
	// FiveYears is set when the passage reviews the five years up to
	// Year (过去五年…) rather than Year alone: its additions with no year
	// written are KindFiveYears.
	FiveYears bool
	// Plan is set when the passage sets a plan's targets for the five
	// years up to Year (“十五五”时期主要目标任务): its additions with no
	// year written are KindPlan, its other targets Year's.
	Plan bool
}

package fact

// The word lists Extract reads. Each list is general: it holds the words
// Chinese government work reports use for one role, gathered from the
// national and provincial reports, never a word added for one question.

// measureWord is a word between an indicator and its figure that says how
// the figure measures the indicator.
type measureWord struct {
	word, measure string
}

// measureWords are read in the words before a figure; the last one
// written before the figure (the longest where two end at the same place)
// is the measure. Words naming a total (总量, 总额, 规模) are not measure
// words: they belong to the indicator's name (进出口总额), and a figure
// with no measure word is a level anyway. Words of a change followed by 到/至 ("提高到", "降至")
// name the level reached, not the change. 为 and 达 are single
// characters that appear inside other words (作为, 达标), so they count
// only right before the figure (see adjacentOnly).
var measureWords = []measureWord{
	{"增长", MeasureGrowth}, {"增速", MeasureGrowth}, {"增幅", MeasureGrowth}, {"提高", MeasureGrowth},
	{"提升", MeasureGrowth}, {"上升", MeasureGrowth}, {"上涨", MeasureGrowth}, {"涨幅", MeasureGrowth},
	{"增加", MeasureGrowth}, {"扩大", MeasureGrowth}, {"多增", MeasureGrowth}, {"增收", MeasureGrowth},

	{"下降", MeasureDecline}, {"降低", MeasureDecline}, {"减少", MeasureDecline}, {"下滑", MeasureDecline},
	{"回落", MeasureDecline}, {"缩小", MeasureDecline}, {"压减", MeasureDecline}, {"削减", MeasureDecline},
	{"降幅", MeasureDecline}, {"压缩", MeasureDecline},

	{"增长到", MeasureLevel}, {"增加到", MeasureLevel}, {"提高到", MeasureLevel}, {"提升到", MeasureLevel},
	{"上升到", MeasureLevel}, {"扩大到", MeasureLevel}, {"增至", MeasureLevel}, {"提高至", MeasureLevel},
	{"提升至", MeasureLevel}, {"增长至", MeasureLevel}, {"增加至", MeasureLevel}, {"扩大至", MeasureLevel},
	{"下降到", MeasureLevel}, {"降低到", MeasureLevel}, {"减少到", MeasureLevel}, {"降到", MeasureLevel},
	{"下降至", MeasureLevel}, {"降低至", MeasureLevel}, {"减少至", MeasureLevel}, {"降至", MeasureLevel},
	{"回落到", MeasureLevel}, {"回落至", MeasureLevel}, {"发展到", MeasureLevel}, {"发展至", MeasureLevel},
	{"达到", MeasureLevel}, {"突破", MeasureLevel}, {"超过", MeasureLevel}, {"保持在", MeasureLevel},
	{"稳定在", MeasureLevel}, {"维持在", MeasureLevel},
	{"共计", MeasureLevel}, {"合计", MeasureLevel}, {"总计", MeasureLevel},
	{"分别为", MeasureLevel}, {"分别达到", MeasureLevel}, {"达", MeasureLevel}, {"为", MeasureLevel},

	{"高于", MeasureGap}, {"低于", MeasureGap}, {"快于", MeasureGap}, {"慢于", MeasureGap}, {"高出", MeasureGap},
	{"领先", MeasureGap},

	{"控制在", MeasureLimit}, {"不超过", MeasureLimit}, {"不高于", MeasureLimit},

	{"占比", MeasureShare}, {"比重", MeasureShare}, {"比例", MeasureShare},

	{"累计", MeasureCumulative}, {"累计达到", MeasureCumulative}, {"累计完成", MeasureCumulative},
}

// additionCue names a figure as what a period added (新增就业, 新增经营
// 主体): over a five-year review, the five years' total (KindFiveYears),
// unless perYearCue says it is each year's (城镇新增就业每年超过90万人).
const (
	additionCue = "新增"
	perYearCue  = "每年"
)

// adjacentOnly are the measure words that count only when nothing but a
// prefix qualifier stands between them and the figure.
var adjacentOnly = map[string]bool{"为": true, "达": true}

// leadFillers are words at the start of the words before a figure that
// belong to the sentence, not to the indicator's name: the scope (全年,
// 全省), connectives (其中, 以及), time (今年), hedges (预计) and the
// comparison (比上年). They are dropped from a Label.
var leadFillers = []string{
	"全年", "全市", "全省", "全区", "全县", "全州", "全盟", "全国", "全自治区", "全社会",
	"其中", "以及", "并且", "同时", "我们", "我市", "我省", "我区", "我县",
	"今年", "去年", "上年", "当年", "年内", "过去一年", "过去五年", "五年来", "一年来",
	"预计", "力争", "确保", "争取", "努力", "实现", "完成", "推动", "推进", "促进",
	"比上年", "较上年", "同比", "比去年", "分别", "年均", "累计", "均", "和", "及", "与", "、", "的",
}

// labelTails are words at the end of the words before a figure, after its
// measure word is cut, that are not part of the indicator's name.
var labelTails = []string{
	"比上年", "较上年", "比去年", "较去年", "同比", "分别", "年均", "平均", "累计", "实现", "完成",
	"预计", "力争", "确保", "争取", "均", "将", "要", "再", "又", "也", "继续", "持续", "稳定", "保持",
	"以上", "左右", "约", "的", "和", "及", "与", "、", "首次", "再次", "首度", "实际",
}

// prefixQualifiers are qualifiers written before a figure; they become part
// of its Value. 超过 and 超 also say the level was passed, 不超过 that it
// is a ceiling (see measureOfQualifier).
var prefixQualifiers = []string{"不低于", "不少于", "不超过", "不高于", "超过", "大约", "将近", "接近", "约", "近", "超", "逾"}

// suffixQualifiers are qualifiers written after a figure's unit.
var suffixQualifiers = []string{"左右", "以上", "以内", "以下", "上下", "多"}

// innerQualifiers are written between a scale and a unit ("3万余场",
// "50多家").
var innerQualifiers = []string{"余", "多"}

// measureOfQualifier is the measure a qualifier implies when no measure
// word is written: 超过200家 passes a level, 3%以内 is a ceiling.
var measureOfQualifier = map[string]string{
	"超过": MeasureLevel, "超": MeasureLevel, "逾": MeasureLevel, "不低于": MeasureLevel, "不少于": MeasureLevel,
	"不超过": MeasureLimit, "不高于": MeasureLimit, "以内": MeasureLimit,
}

// targetCues are words that make a figure a goal wherever they are in its
// sentence before it: 预期目标 and 主要目标 introduce a year's targets,
// 力争/确保 commit to a figure not yet reached, 拟 proposes one.
// 目标 alone is not a cue: reviews write 完成年度目标任务 beside results;
// nor is 争取, which reviews write of funds obtained (争取中央预算内投资
// 237亿元).
var targetCues = []string{"预期目标", "主要目标", "目标是", "目标为", "力争", "确保", "拟"}

// resultCues are words in a figure's clause that make it an outcome: a
// comparison with the year before (比上年, 同比) is only written of a
// reached figure, as is 创历史新高. 预计 in a review is a result not yet
// final, still a result.
var resultCues = []string{"比上年", "较上年", "比去年", "较去年", "同比", "创历史新高", "创历史最高"}

// averageCue makes a figure a yearly average (年均增长); cumulativeCue a
// running total (累计). Both count in the words between the indicator and
// the figure. perYearAverageCue, the older reports' way of writing 年均
// (工农业总产值平均每年增长百分之十一), is in no name, so it counts anywhere
// before the figure in its clause.
const (
	averageCue        = "年均"
	cumulativeCue     = "累计"
	perYearAverageCue = "平均每年"
)

// nameOpeners are punctuation before a number that make it part of a name
// or title: “80条”, 《…2》.
var nameOpeners = []string{"“", "‘", "《", "「", "\"", "〈"}

package indicator

// denied lists the generic words that are never a form on their own: each
// names a topic or a measure shared by many indicators (收入 is revenue
// and income, 就业 is jobs and employment rates, growth is every
// indicator's growth), so a match on one would say nothing reliable. Only
// longer phrases built on them are forms (城镇新增就业, new urban jobs).
// English words are compared folded (lower case, singular). Parse refuses
// a table that uses one.
var denied = []string{
	// Chinese: measures and topics.
	"收入", "支出", "收支", "就业", "失业", "投资", "增长", "增速", "增幅", "涨幅",
	"产量", "产值", "总量", "总额", "规模", "比重", "占比", "效益", "利润", "消费",
	"外贸", "贸易", "外资", "内资", "经济", "财政", "税收", "价格", "物价", "人口",
	"工业", "农业", "服务业", "制造业", "建筑业", "能耗", "排放", "碳排放", "研发",
	"科技", "专利", "森林", "空气", "质量", "旅游", "债务", "债券", "收益", "资金",
	"预算", "粮食", "住房", "房地产", "企业", "项目", "人均", "居民", "城镇", "农村",
	"发展", "速度", "指数", "增加值", "生产", "销售", "零售", "储蓄", "存款", "贷款",
	"电量", "用电", "用电量", "交通", "铁路", "公路", "教育", "医疗", "卫生", "社保",
	"养老", "扶贫", "贫困", "脱贫", "环境", "生态", "绿色", "数字", "创新", "营收",
	// Measures that do not say which indicator: 失业率 is the surveyed or
	// the registered rate, and reports have quoted both.
	"增长率", "失业率", "就业率",
	// English: measures and topics.
	"income", "revenue", "spending", "expenditure", "employment", "unemployment",
	"job", "investment", "growth", "output", "production", "value added",
	"consumption", "trade", "foreign trade", "price", "economy", "economic",
	"fiscal", "tax", "population", "industry", "service", "agriculture",
	"debt", "bond", "deficit", "emission", "energy", "energy consumption",
	"carbon", "forest", "air", "air quality", "patent", "tourism", "budget",
	"grain", "housing", "real estate", "enterprise", "project", "per capita",
	"rate", "index", "total", "volume", "share", "sale", "retail", "saving",
	"deposit", "loan", "electricity", "railway", "highway", "education",
	"poverty", "environment", "innovation", "digital", "r&d", "research",
	"growth rate", "unemployment rate", "employment rate",
}

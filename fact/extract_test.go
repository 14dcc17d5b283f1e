package fact

import (
	"slices"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/corpus"
)

// brief writes a fact as the tables below expect it: year, kind,
// indicator[label], measure(measure word), value, number, unit.
func brief(f Fact) string {
	line := goldenLine("", Fact{Indicator: f.Indicator, Label: f.Label, Measure: f.Measure, MeasureText: f.MeasureText,
		Value: f.Value, Number: f.Number, Upper: f.Upper, Unit: f.Unit, Year: f.Year, Kind: f.Kind})
	return strings.TrimSuffix(line, " | ")
}

var (
	review2025 = Context{Year: 2025, Kind: corpus.PeriodActual, ReportYear: 2026}
	plan2026   = Context{Year: 2026, Kind: corpus.PeriodTarget, ReportYear: 2026}
	plan2018   = Context{Year: 2018, Kind: corpus.PeriodTarget, ReportYear: 2018}
	unknown26  = Context{ReportYear: 2026}
	// fiveYears2025 is a paragraph of a five-year review (fact.Review).
	fiveYears2025 = Context{Year: 2025, Kind: corpus.PeriodActual, ReportYear: 2026, FiveYears: true}
	// plan2030 is a paragraph of a plan's targets (“十五五”时期主要目标任务).
	plan2030 = Context{Year: 2030, Kind: corpus.PeriodTarget, ReportYear: 2026, Plan: true}
)

// TestExtract reads sentences of the national and provincial reports
// (/work/shared/corpora) and the Wuqing reports.
func TestExtract(t *testing.T) {
	t.Parallel()
	for _, tt := range extractTests {
		var got []string
		for _, f := range Extract(tt.text, tt.c) {
			got = append(got, brief(f))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Extract(%q) =\n\t%s\nwant\n\t%s", tt.text, strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
		}
	}
}

// extractTests are sentences of the national and provincial reports and
// the facts read from them, reviewed by hand.
var extractTests = []struct {
	text string
	c    Context
	want []string
}{
	{"2025年全省地区生产总值增长5.4%", unknown26, []string{
		"2025 result gdp[地区生产总值] growth(增长) 5.4% 5.4 %",
	}},
	{"地区生产总值增长5%左右，规模以上工业增加值增长6%", plan2026, []string{
		"2026 target gdp[地区生产总值] growth(增长) 5%左右 5 %",
		"2026 target industrial_value_added_above_size[规模以上工业增加值] growth(增长) 6% 6 %",
	}},
	// Five-year reviews: what the five years added is theirs, a level
	// reached is the last year's, a year written is that year's.
	{"城镇新增就业603.7万人，新增农村劳动力转移就业246.2万人，居民人均可支配收入年均增长6%。", fiveYears2025, []string{
		"2025 five-years new_urban_jobs[城镇新增就业] level() 603.7万人 6.037e+06 person",
		"2025 five-years -[新增农村劳动力转移就业] level() 246.2万人 2.462e+06 person",
		"2025 average income_all[居民人均可支配收入] growth(增长) 6% 6 %",
	}},
	{"生产总值6.66万亿元，财政总收入7019亿元。", fiveYears2025, []string{
		"2025 result gdp[生产总值] level() 6.66万亿元 6.66e+12 yuan",
		"2025 result fiscal_revenue[财政总收入] level() 7019亿元 7.019e+11 yuan",
	}},
	{"2025年城镇新增就业121.7万人。一年来，新增经营主体37万户。", fiveYears2025, []string{
		"2025 result new_urban_jobs[城镇新增就业] level() 121.7万人 1.217e+06 person",
		"2025 result new_market_entities[新增经营主体] level() 37万户 370000 household",
	}},
	{"过去五年，城镇新增就业603.7万人。五年来，新增经营主体370万户，“十四五”时期新增耕地212万亩。", review2025, []string{
		"2025 five-years new_urban_jobs[城镇新增就业] level() 603.7万人 6.037e+06 person",
		"2025 five-years new_market_entities[新增经营主体] level() 370万户 3.7e+06 household",
		"2025 five-years -[新增耕地] level() 212万亩 2.12e+06 mu",
	}},
	{"五年间全国通过各种方式使用国外贷款153.8亿美元，经济总量达到5万亿元，每年引进项目超过100个。", review2025, []string{
		"2025 five-years -[五年间全国通过各种方式使用国外贷款] level() 153.8亿美元 1.538e+10 usd",
		"2025 result gdp[经济总量] level(达到) 5万亿元 5e+12 yuan",
		"2025 result -[每年引进项目] level(超过) 超过100个 100 个",
	}},
	{"2025年是“十四五”收官之年，城镇新增就业107万人；十五年来新增公园127座。", review2025, []string{
		"2025 result new_urban_jobs[城镇新增就业] level() 107万人 1.07e+06 person",
		"2025 result -[新增公园] level() 127座 127 座",
	}},
	{"城镇新增就业500万人以上，常住人口城镇化率达到65%左右，到2030年粮食产量1400亿斤。", plan2030, []string{
		"2030 plan new_urban_jobs[城镇新增就业] level() 500万人以上 5e+06 person",
		"2030 target urbanisation[常住人口城镇化率] level(达到) 65%左右 65 %",
		"2030 target grain_output[粮食产量] level() 1400亿斤 1.4e+11 jin",
	}},
	{"“十五五”时期，城镇新增就业500万人以上，常住人口城镇化率达到65%，到2030年粮食产量1400亿斤。", plan2026, []string{
		"2030 plan new_urban_jobs[城镇新增就业] level() 500万人以上 5e+06 person",
		"2030 target urbanisation[常住人口城镇化率] level(达到) 65% 65 %",
		"2030 target grain_output[粮食产量] level() 1400亿斤 1.4e+11 jin",
	}},
	{"在过去的五年中，工农业总产值平均每年增长百分之十一，城镇调查失业率5.2%。", review2025, []string{
		"2025 average gross_output_ind_agr[工农业总产值] growth(增长) 百分之十一 11 %",
		"2025 result surveyed_unemployment[城镇调查失业率] level() 5.2% 5.2 %",
	}},
	{"新增就业3.4万人", plan2018, []string{
		"2018 target new_urban_jobs[新增就业] level() 3.4万人 34000 person",
	}},
	{"外贸进出口总额达到4.51万亿元、增长5.6%，其中出口增长10.8%。", review2025, []string{
		"2025 result trade_total[外贸进出口总额] level(达到) 4.51万亿元 4.51e+12 yuan",
		"2025 result trade_total[外贸进出口总额] growth(增长) 5.6% 5.6 %",
		"2025 result exports[出口] growth(增长) 10.8% 10.8 %",
	}},
	{"PM2.5年均浓度为26.3微克/立方米、下降7.4%，新增公园127座，提前建成千座公园城市，累计达到1100座，89.4%的公园实现24小时开放。", review2025, []string{
		"2025 result pm25[PM2.5年均浓度] level(为) 26.3微克/立方米 26.3 ug/m3",
		"2025 result pm25[PM2.5年均浓度] decline(下降) 7.4% 7.4 %",
		"2025 result -[新增公园] level() 127座 127 座",
		"2025 cumulative -[新增公园] cumulative(累计达到) 1100座 1100 座",
		"2025 result -[公园] level() 89.4% 89.4 %",
		"2025 result -[开放] level() 24小时 24 hour",
	}},
	{"金融业、软件和信息服务业增加值分别增长9.7%、15.3%。", review2025, []string{
		"2025 result -[金融业、软件和信息服务业增加值] growth(增长) 9.7% 9.7 %",
		"2025 result -[金融业、软件和信息服务业增加值] growth(增长) 15.3% 15.3 %",
	}},
	{"城镇登记失业率控制在3.5%以内", plan2018, []string{
		"2018 target registered_unemployment[城镇登记失业率] limit(控制在) 3.5%以内 3.5 %",
	}},
	{"高新技术产业增加值占规上工业比重提高到25.5%", review2025, []string{
		"2025 result -[高新技术产业增加值] share(占) 25.5% 25.5 %",
	}},
	{"今年经济社会发展主要目标是：地区生产总值增长4.5%—5%", unknown26, []string{
		"2026 target gdp[地区生产总值] growth(增长) 4.5%—5% 4.5~5 %",
	}},
	{"“十四五”时期全省地区生产总值年均增长5.5%，“十五五”时期全省地区生产总值年均增长5%—5.5%", unknown26, []string{
		"2025 average gdp[地区生产总值] growth(增长) 5.5% 5.5 %",
		"2030 average gdp[地区生产总值] growth(增长) 5%—5.5% 5~5.5 %",
	}},
	{"民间投资增长2.1%、高于全国8.5个百分点，民营经济增加值增长5.5%。", review2025, []string{
		"2025 result private_investment[民间投资] growth(增长) 2.1% 2.1 %",
		"2025 result private_investment[民间投资] gap(高于) 8.5个百分点 8.5 pp",
		"2025 result private_economy_value_added[民营经济增加值] growth(增长) 5.5% 5.5 %",
	}},
	{"粮食产量达到732.5亿斤、创历史新高，生猪出栏6248万头。", review2025, []string{
		"2025 result grain_output[粮食产量] level(达到) 732.5亿斤 7.325e+10 jin",
		"2025 result -[生猪出栏] level() 6248万头 6.248e+07 头",
	}},
	{"建成6个农业园区和40个精品农业节点", review2025, []string{
		"2025 result -[农业园区] level() 6个 6 个",
		"2025 result -[精品农业节点] level() 40个 40 个",
	}},
	{"国家级高新技术企业发展到364家，新申请专利突破1.1万件。", review2025, []string{
		"2025 result hightech_enterprises[国家级高新技术企业] level(发展到) 364家 364 家",
		"2025 result -[新申请专利] level(突破) 1.1万件 11000 item",
	}},
	{"新建7家高质量概念验证平台和6家高质量孵化器", review2025, []string{
		"2025 result -[高质量概念验证平台] level() 7家 7 家",
		"2025 result -[高质量孵化器] level() 6家 6 家",
	}},
	{"制定实施G60科创走廊策源地建设支持措施，新入选国家5G工厂29家。", review2025, []string{
		"2025 result -[新入选国家5G工厂] level() 29家 29 家",
	}},
	{"——2026年2月3日在上海市第十六届人民代表大会第四次会议上", unknown26, nil},
	{"制度型开放总体方案“80条”基本落地，（一）全力促进经济平稳健康发展", review2025, nil},
	{"每万人高价值发明专利拥有量从11件提高到24件", review2025, []string{
		"2025 result high_value_patents_per_10k[每万人高价值发明专利拥有量] level(提高到) 24件 24 item",
	}},
	{"累计识别监测对象20.9万户69.3万人", review2025, []string{
		"2025 cumulative -[识别监测对象] cumulative(累计) 20.9万户 209000 household",
		"2025 cumulative -[识别监测对象] cumulative(累计) 69.3万人 693000 person",
	}},
	{"社会物流总费用与GDP的比率降低1.1个百分点", review2025, []string{
		"2025 result logistics_cost_ratio[社会物流总费用与GDP的比率] decline(降低) 1.1个百分点 1.1 pp",
	}},
	{"开工建设10亿元以上重大产业项目47个", review2025, []string{
		"2025 result -[开工建设10亿元以上重大产业项目] level() 47个 47 个",
	}},
	{"上海机场航空旅客和货邮吞吐量分别达到1.35亿人次、453.8万吨，分别增长8.3%、7.9%。", review2025, []string{
		"2025 result -[上海机场航空旅客和货邮吞吐量] level(分别达到) 1.35亿人次 1.35e+08 person-time",
		"2025 result -[上海机场航空旅客和货邮吞吐量] level(分别达到) 453.8万吨 4.538e+06 tonne",
		"2025 result -[上海机场航空旅客和货邮吞吐量] growth(增长) 8.3% 8.3 %",
		"2025 result -[上海机场航空旅客和货邮吞吐量] growth(增长) 7.9% 7.9 %",
	}},
	{"举办促消费活动3万余场次，全省接待游客超11亿人次", review2025, []string{
		"2025 result -[举办促消费活动] level() 3万余场次 30000 场次",
		"2025 result tourist_visits[接待游客] level(超) 超11亿人次 1.1e+09 person-time",
	}},
	{"到2030年人均地区生产总值达到10万元以上", unknown26, []string{
		"2030 target gdp_per_capita[人均地区生产总值] level(达到) 10万元以上 100000 yuan",
	}},
	{"确保粮食播种面积1530万亩、总产量125亿斤", plan2026, []string{
		"2026 target grain_area[粮食播种面积] level() 1530万亩 1.53e+07 mu",
		"2026 target -[总产量] level() 125亿斤 1.25e+10 jin",
	}},
	{"去年全省规模以上工业增加值比上年增长6.1%", review2025, []string{
		"2025 result industrial_value_added_above_size[规模以上工业增加值] growth(增长) 6.1% 6.1 %",
	}},
	{"农业增加值增长百分之三点五，全国工业增加值增长百分之十八", unknown26, []string{
		"0 - -[农业增加值] growth(增长) 百分之三点五 3.5 %",
		"0 - industrial_value_added[全国工业增加值] growth(增长) 百分之十八 18 %",
	}},
	{"普通高等学校在校学生由一九八○年的一百一十四万人增加到一九八五年的一百七十万人", unknown26, []string{
		"1985 result -[普通高等学校在校学生] level(增加到) 一百七十万人 1.7e+06 person",
	}},
	{"煤炭消费比重下降8.1个百分点，清洁能源消费比重提高6.3个百分点", review2025, []string{
		"2025 result coal_share[煤炭消费比重] decline(下降) 8.1个百分点 8.1 pp",
		"2025 result -[清洁能源消费比重] growth(提高) 6.3个百分点 6.3 pp",
	}},
	{"增长５．５％", review2025, []string{
		"2025 result -[] growth(增长) ５．５％ 5.5 %",
	}},
	{"工业技改投资、制造业技改投资增速分别高于全国12.7个、12个百分点", review2025, []string{
		"2025 result -[工业技改投资、制造业技改投资增速] gap(高于) 12.7个 12.7 pp",
		"2025 result -[工业技改投资、制造业技改投资增速] gap(高于) 12个百分点 12 pp",
	}},
	{"蔬菜、小浆果设施产量占比分别提高15、22个百分点", review2025, []string{
		"2025 result -[蔬菜、小浆果设施产量占比] growth(提高) 15 15 pp",
		"2025 result -[蔬菜、小浆果设施产量占比] growth(提高) 22个百分点 22 pp",
	}},
	{"实有企业较“十三五”期末增长36.2%", review2025, []string{
		"2025 result -[实有企业] growth(增长) 36.2% 36.2 %",
	}},
	{"十是推动粮食作物完全成本保险综合承保覆盖率达到70%以上", plan2026, []string{
		"2026 target -[粮食作物完全成本保险综合承保覆盖率] level(达到) 70%以上 70 %",
	}},
	{"农村危房改造竣工率达100%", review2025, []string{
		"2025 result -[农村危房改造竣工率] level(达) 100% 100 %",
	}},
	{"落实省委十二届十次、十一次全会和省委经济工作会议部署", plan2026, nil},
	{"70%村卫生室实现与乡镇卫生院一体化管理", review2025, []string{
		"2025 result -[村卫生室] level() 70% 70 %",
	}},
	{"能源工业增加值增长8.1％", review2025, []string{
		"2025 result -[能源工业增加值] growth(增长) 8.1％ 8.1 %",
	}},
	{"2017年是新一届政府工作的开局之年。全年预计地区生产总值增长2%，一般公共预算收入增长6%", review2025, []string{
		"2025 result gdp[地区生产总值] growth(增长) 2% 2 %",
		"2025 result general_budget_revenue[一般公共预算收入] growth(增长) 6% 6 %",
	}},
	{"确保新增就业3.6万人以上，零就业家庭动态清零", unknown26, []string{
		"0 target new_urban_jobs[新增就业] level() 3.6万人以上 36000 person",
	}},
	{"共建“一带一路”国家进出口总额分别增长10.4%、12.1%", review2025, []string{
		"2025 result -[共建“一带一路”国家进出口总额] growth(增长) 10.4% 10.4 %",
		"2025 result -[共建“一带一路”国家进出口总额] growth(增长) 12.1% 12.1 %",
	}},
	{"力争全年实施重大项目3600个左右、完成投资1万亿元以上", review2025, []string{
		"2025 target -[实施重大项目] level() 3600个左右 3600 个",
		"2025 target -[投资] level() 1万亿元以上 1e+12 yuan",
	}},
}

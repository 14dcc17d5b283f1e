package indicator

import "testing"

// benchZH is a paragraph of a provincial report (上海市 2026, from the
// project's corpus) and the targets of a national one: about 800
// characters (2.3 KB) naming 18 indicators.
const benchZH = `“十四五”时期，上海发展历程极不寻常、极不平凡。我们经受住世纪疫情严重冲击，有效应对外部环境变化和风险挑战，推动经济社会发展取得新的重大成就。这五年，综合经济实力再攀新高峰。全市生产总值从4.16万亿元增加到5.67万亿元，成为全国首个经济总量突破5万亿元的城市，跻身全球城市前五位，人均地区生产总值达到3.2万美元，全员劳动生产率提高到42万元/人以上，单位生产总值能耗累计下降14%。这五年，城市核心功能迈上新台阶。金融市场交易总额从2274.8万亿元增加到4059万亿元，每万人口高价值发明专利拥有量从29.6件增加到65件，一批关键核心技术攻关取得重大进展，电子信息、生命健康、汽车、高端装备等一批万亿级产业集群基本形成，口岸贸易总额从8.75万亿元增长到11.3万亿元、保持全球城市首位，上海港成为全球首个年吞吐量超过5000万标准箱的世界大港。这五年，深化改革开放彰显新成效。重点区域先行先试作用充分发挥，长三角一体化发展走深走实，进博会四大平台功能持续强化。世界银行营商环境对标改革取得显著成绩，企业调查59项测评点中有22项达到全球最优水平。实际使用外资累计超过1000亿美元，认定跨国公司地区总部、外资研发中心分别从771家、481家增加到1076家、636家。这五年，人民美好生活展现新图景。历史性完成中心城区成片、零星二级旧里以下房屋改造，困扰上海多年的“拎马桶”问题得到总体解决。居民人均可支配收入年均增长5%，年均新增就业岗位61.4万个，新增养老床位2.5万张、托育机构托额8.1万个，社会保障水平稳步提高。PM2.5年均浓度累计下降17%，“一江一河一带”生态空间焕新发展。上海始终是全球最安全的城市之一。今年发展主要预期目标是：国内生产总值增长5.5%左右；城镇新增就业1100万人以上，城镇调查失业率全年控制在5.5%以内；居民消费价格涨幅3%左右；居民收入增长与经济增长基本同步；进出口保稳提质，国际收支基本平衡；粮食产量保持在1.3万亿斤以上。`

// benchEN is an English paragraph in the manner of the official
// translation of the national report.
const benchEN = `The main projected targets for development this year are as follows: GDP growth of around 5 percent; over 12 million new urban jobs, with the surveyed urban unemployment rate at around 5.5 percent; a CPI increase of around 2 percent; growth in personal income that is in step with economic growth; steady increases in both the volume and quality of imports and exports; a basically stable balance of payments; grain output of over 650 million metric tons; a drop of around 2.5 percent in energy consumption per unit of GDP. The deficit-to-GDP ratio is projected to be 3 percent, and 3.9 trillion yuan of special-purpose bonds for local governments will be issued. Total retail sales of consumer goods grew by 7.2 percent, fixed-asset investment by 3 percent, and per capita disposable income of rural residents by 6.6 percent; forest coverage exceeded 25 percent.`

// Measured 2026-12-06 on the shared 2-core machine under load (fastest of
// 5 runs; docs/performance.md): zh 60 µs (23–30 µs of CPU time), en 43 µs.
func BenchmarkFind(b *testing.B) {
	v := Default()
	for _, bc := range []struct{ name, text string }{{"zh", benchZH}, {"en", benchEN}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.text)))
			for b.Loop() {
				v.Find(bc.text)
			}
		})
	}
}

func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

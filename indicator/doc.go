// Package indicator is the bilingual vocabulary of the indicators that
// government work reports quote as figures: GDP and its growth, fiscal
// revenue and spending, fixed-asset investment, retail sales, trade,
// foreign investment, income, prices, jobs, grain, energy and carbon
// intensity, R&D, forest cover, air quality and the rest. Each entry has a
// stable ASCII ID, its canonical Chinese name, the abbreviations and
// synonyms reports and staff write (社零 for 社会消费品零售总额, 固投 for
// 固定资产投资), and its English names as the National Bureau of Statistics
// and the official translations of the national report write them ("total
// retail sales of consumer goods", "surveyed urban unemployment rate").
//
// The table is data in data/indicators.tsv, embedded; its header names
// the sources. Find reads the indicators a text names, in Chinese and in
// English, for retrieval and for matching an answer to a question.
//
// # Ambiguity rules
//
// The vocabulary is reviewed so that a match means one indicator:
//
//   - One form, one entry: no Chinese alias or English name belongs to two
//     entries (Parse refuses the table otherwise).
//   - Generic words are never a form on their own: 收入, 支出, 就业, 投资,
//     增长, 产量, 消费, 外贸, income, revenue, investment, jobs, growth and
//     the others of the deny-list (see deny.go). Only longer phrases that
//     name one indicator are forms (城镇新增就业, new urban jobs).
//   - The more specific entry wins: Find prefers the longest form, so
//     农村居民人均可支配收入 is rural income, not 居民人均可支配收入, and
//     规模以上工业增加值 is not 工业增加值.
//   - A form that implies a measure says so: 经济增长 and "economic growth"
//     name GDP and imply its growth (Match.Implies is "growth").
//   - Phrases that contain a form but name no indicator (中国国际进口博览会,
//     出口退税, 新的经济增长点) are listed as non-indicators; Find reads
//     them so that the form inside them does not match.
//   - An English name is matched as whole words, case-insensitively, with
//     plural and possessive forms tolerated; a Chinese form is matched as a
//     substring, except that its ASCII ends must not touch ASCII letters
//     or digits (GDP增速 does not match inside XGDP增速).
package indicator

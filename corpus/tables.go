package corpus

import "strings"

// tableRows renders a table as lines, one per row, cells separated by
// " | ". When the first row is a header (指标 | 2025年目标 | 2024年完成),
// every later row writes each figure after its column's header
// ("城镇新增就业 | 2025年目标：3.4万人 | 2024年完成：3.2万人"), so that a
// figure keeps the year and kind of its column wherever the row is cut or
// quoted, and its indicator (the row's first cell) stays on its line.
func tableRows(rows [][]string) []string {
	out := make([]string, 0, len(rows))
	var header []string
	for i, row := range rows {
		if i == 0 && len(row) > 1 {
			header = row
		}
		cells := make([]string, 0, len(row))
		for c, cell := range row {
			cell = strings.Join(strings.Fields(cell), " ")
			if i > 0 && c > 0 && c < len(header) && header[c] != "" && cell != "" {
				cell = header[c] + "：" + cell
			}
			cells = append(cells, cell)
		}
		line := strings.Join(cells, " | ")
		if strings.Trim(line, " |") != "" {
			out = append(out, line)
		}
	}
	return out
}

package indicator

import (
	"strings"
	"testing"
)

func TestParseErrors(t *testing.T) {
	t.Parallel()
	const ok = "gdp\t国内生产总值\t生产总值\tgdp\tyuan\t-\n"
	tests := []struct {
		name, table, want string
	}{
		{"empty", "# only a comment\n", "no entries"},
		{"columns", "gdp\t国内生产总值\n", "line 1: 2 columns"},
		{"bad id", "GDP\t国内生产总值\t-\tgdp\t-\t-\n", `line 1: id "GDP"`},
		{"id twice", ok + "gdp\t地区生产总值\t-\tgross regional product\t-\t-\n", `line 2: id "gdp": used twice`},
		{"no name", "gdp\t-\t-\tgdp\t-\t-\n", "empty form"},
		{"name not chinese", "gdp\tgdp\t-\tgross domestic product\t-\t-\n", "no Chinese character"},
		{"no english", "gdp\t国内生产总值\t-\t-\t-\t-\n", "no English name"},
		{"english upper", "gdp\t国内生产总值\t-\tGDP\t-\t-\n", "lower case"},
		{"english han", "gdp\t国内生产总值\t-\tgdp总量\t-\t-\n", "only ASCII"},
		{"unit", "gdp\t国内生产总值\t-\tgdp\tdollars\t-\n", "not a unit class"},
		{"implies", "gdp\t国内生产总值\t-\tgdp\t-\tlevel\n", `implies "level"`},
		{"alias implies", "gdp\t国内生产总值\t经济增长=level\tgdp\t-\t-\n", `implies "level"`},
		{"one character", "exports\t出口\t出\texports\t-\t-\n", "one-character form"},
		{"alias upper", "gdp\t国内生产总值\t人均GDP\tgdp\t-\t-\n", "lower case"},
		{"denied zh", "jobs\t城镇新增就业\t就业\tnew urban jobs\t-\t-\n", `"就业" is a generic word`},
		{"denied en", "jobs\t城镇新增就业\t-\tjobs\t-\t-\n", `"jobs" is a generic word`},
		{"shared alias", ok + "gdp2\t地区生产总值\t生产总值\tgross regional product\t-\t-\n", `line 2: gdp2: alias: "生产总值" already belongs to gdp`},
		{"shared english, folded", ok + "gdp2\t地区生产总值\t-\tgdps\t-\t-\n", `"gdps" already belongs to gdp`},
		{"plural twice", "jobs\t城镇新增就业\t-\tnew urban jobs|new urban job\t-\t-\n", "listed twice"},
		{"hyphen twice", "fai\t固定资产投资\t-\tfixed-asset investment|fixed asset investment\t-\t-\n", "listed twice"},
		{"non-indicator filled", ok + "-\t国内\t-\t-\t-\t-\n", "only the aliases and english columns"},
		{"non-indicator empty", ok + "-\t-\t-\t-\t-\t-\n", "no phrase"},
		{"non-indicator shared", ok + "-\t-\t生产总值\t-\t-\t-\n", `"生产总值" already belongs to gdp`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse([]byte(tt.table))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %v, want one containing %q", tt.table, err, tt.want)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	table := "# comment\r\n\r\ngdp\t国内生产总值\t经济增长=growth | 生产总值\tgross domestic product|economic growth=growth\tyuan\t-\r\n" +
		"-\t-\t经济增长点\t-\t-\t-\n"
	v, err := Parse([]byte(table))
	if err != nil {
		t.Fatal(err)
	}
	in, ok := v.Get("gdp")
	if !ok {
		t.Fatal(`Get("gdp") found nothing`)
	}
	if got, want := strings.Join(in.Aliases, ","), "经济增长,生产总值"; got != want {
		t.Errorf("Aliases = %q, want %q", got, want)
	}
	if got, want := strings.Join(in.English, ","), "gross domestic product,economic growth"; got != want {
		t.Errorf("English = %q, want %q", got, want)
	}
	if in.Unit != "yuan" || in.Implies != "" || in.AliasImplies["经济增长"] != Growth || in.AliasImplies["economic growth"] != Growth {
		t.Errorf("Get(gdp) = %+v", in)
	}
	if got := len(v.All()); got != 1 {
		t.Errorf("All() has %d entries, want 1", got)
	}
	if ms := v.Find("培育经济增长点，经济增长5%"); len(ms) != 1 || ms[0].Start != len("培育经济增长点，") || ms[0].Implies != Growth {
		t.Errorf("Find = %+v, want 经济增长 after the comma, implying growth", ms)
	}
}

func TestDefaultParsesOnce(t *testing.T) {
	t.Parallel()
	if a, b := Default(), Default(); a != b {
		t.Error("Default returned two vocabularies")
	}
}

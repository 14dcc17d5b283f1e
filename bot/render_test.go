package bot

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
)

func TestCleanQuestion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want, problem string
	}{
		{in: "2018年新增就业目标是多少?", want: "2018年新增就业目标是多少?"},
		{in: "<@900000000000000001>  2018年 目标 ", want: "2018年 目标"},
		{in: "<@!1234567890> <@&1234567890> <#1234567890> hi", want: "hi"},
		{in: "@everyone", problem: msgEmpty},
		{in: " @here <@123456789012345678> ", problem: msgEmpty},
		{in: strings.Repeat("问", testMaxRunes+1), problem: fmt.Sprintf(msgTooLong, testMaxRunes)},
		{in: "bad\xffutf8", want: "bad utf8"},
	}
	for _, tt := range tests {
		got, problem := cleanQuestion(tt.in, testMaxRunes)
		if got != tt.want || problem != tt.problem {
			t.Errorf("cleanQuestion(%.30q) = %q, %q; want %q, %q", tt.in, got, problem, tt.want, tt.problem)
		}
	}
}

func TestRenderAnswerStaysUnderLimits(t *testing.T) {
	t.Parallel()
	many := func(n, quoteRunes int) []Source {
		var out []Source
		for i := 1; i <= n; i++ {
			out = append(out, Source{N: i, PassageID: fmt.Sprintf("%016x", i), ReportTitle: strings.Repeat("报告", 150), Year: 2018,
				Section: []string{strings.Repeat("一、标题", 100)}, Paragraph: i, Quote: strings.Repeat("引", quoteRunes)})
		}
		return out
	}
	tests := []struct {
		name      string
		a         Answer
		wantMsgs  int // 0: do not check
		wantTitle string
	}{
		{name: "one source", a: Answer{Text: "新增就业3.4万人。 [1]", Sources: many(1, 20)}, wantMsgs: 1, wantTitle: "Sources"},
		{name: "not found shows closest", a: Answer{Text: "报告中未找到答案。", NotFound: true, Sources: many(3, 20)}, wantMsgs: 1, wantTitle: "Closest passages"},
		{name: "thirty long sources", a: Answer{Text: strings.Repeat("很长的回答。 [1] ", 500), Sources: many(30, 2000)}, wantTitle: "Sources"},
		{name: "no sources", a: Answer{Text: "ok"}, wantMsgs: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			msgs := renderAnswer(&tt.a, true)
			if tt.wantMsgs != 0 && len(msgs) != tt.wantMsgs {
				t.Errorf("got %d messages, want %d", len(msgs), tt.wantMsgs)
			}
			seenSources := 0
			for i, m := range msgs {
				if n := utf8.RuneCountInString(m.Content); n > maxContent {
					t.Errorf("message %d content %d runes", i, n)
				}
				total := 0
				for _, e := range m.Embeds {
					if n := utf8.RuneCountInString(e.Description); n > maxEmbedDescription {
						t.Errorf("message %d embed description %d runes", i, n)
					}
					if tt.wantTitle != "" && !strings.HasPrefix(e.Title, tt.wantTitle) {
						t.Errorf("embed title %q, want %q", e.Title, tt.wantTitle)
					}
					seenSources += strings.Count(e.Description, "**[")
					total += embedLen(e)
				}
				if total > maxEmbedTotal || len(m.Embeds) > maxEmbedsPerMessage {
					t.Errorf("message %d: %d embeds, %d runes of embeds", i, len(m.Embeds), total)
				}
				if len(m.Components) > 0 && i != len(msgs)-1 {
					t.Errorf("buttons on message %d, want them on the last", i)
				}
			}
			if seenSources != len(tt.a.Sources) {
				t.Errorf("embeds list %d sources, want all %d", seenSources, len(tt.a.Sources))
			}
			rows := msgs[len(msgs)-1].Components
			if len(rows) > maxRows {
				t.Errorf("%d button rows, over Discord's %d", len(rows), maxRows)
			}
			ids := map[string]bool{}
			for _, r := range rows {
				for _, c := range r.(discordgo.ActionsRow).Components {
					id := c.(discordgo.Button).CustomID
					if ids[id] || len(id) > maxCustomID {
						t.Errorf("custom id %q repeated or too long", id)
					}
					ids[id] = true
				}
			}
			if !ids[idHelpful] || !ids[idWrong] {
				t.Error("feedback buttons missing")
			}
		})
	}
}

// testMaxRunes is the question limit the tests give the bot.
const testMaxRunes = 1000

func TestLocation(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src  Source
		want string
	}{
		{Source{Section: []string{"一、回顾", "（一）就业"}, Paragraph: 40}, "一、回顾 › （一）就业 · ¶40"},
		{Source{Section: []string{"一、回顾"}, Page: 6, Paragraph: 40}, "一、回顾 · p. 6 · ¶40"},
		{Source{Page: 3, Paragraph: 2, Scanned: true}, "p. 3 · ¶2 · OCR of a scanned page: check the scan"},
		{Source{}, ""},
	}
	for _, tt := range tests {
		if got := location(tt.src); got != tt.want {
			t.Errorf("location(%+v) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

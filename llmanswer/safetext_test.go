package llmanswer

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"

	"github.com/reportbot/reportbot/answer"
	"github.com/reportbot/reportbot/chat"
	"github.com/reportbot/reportbot/internal/safetext"
	"github.com/reportbot/reportbot/query"
)

// scriptedModel replies with reply, streamed in pieces when asked.
type scriptedModel struct{ reply string }

func (m scriptedModel) Name() string { return "scripted" }

func (m scriptedModel) Chat(_ context.Context, _ []chat.Message, opt chat.Options) (string, error) {
	if opt.OnDelta != nil {
		for piece := range strings.SplitSeq(m.reply, "|") {
			opt.OnDelta(piece)
		}
	}
	return strings.ReplaceAll(m.reply, "|", ""), nil
}

// TestGenerateRemovesTerminalControls: a grounded model reply with escape
// sequences and a bidirectional override passed the grounding check and was
// printed as it came; now the answer and the streamed pieces are without
// them (issue 15, item 9).
func TestGenerateRemovesTerminalControls(t *testing.T) {
	t.Parallel()
	// No digits in the sequences: those the grounding check would take
	// for figures the passages lack.
	reply := "2018年\x1b[J\x1b[H新增就业|3.4万人[1]\u202e。\x1b]L;pwned\x07|\x1b[m完|毕\x1b[K"
	var streamed strings.Builder
	a := &answer.Answer{Query: query.Query{Lang: "zh"}}
	Generate(t.Context(), Options{Chat: scriptedModel{reply}}, slog.New(slog.NewTextHandler(io.Discard, nil)), a,
		query.Query{}, "2018年新增就业目标?", nil, promptHits()[:1], func(d string) { streamed.WriteString(d) })
	if a.Mode != "llm" {
		t.Fatalf("mode = %q, want the model's answer (grounding %+v)", a.Mode, a.Grounding)
	}
	if want := "2018年新增就业3.4万人[1]。完毕"; a.Text != want {
		t.Errorf("answer = %q, want %q", a.Text, want)
	}
	if got := streamed.String(); got != safetext.Text(got) || strings.Contains(got, "[J") {
		t.Errorf("streamed %q holds controls", got)
	}
}

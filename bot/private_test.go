package bot

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
	"github.com/reportbot/reportbot/bot/discordtest"
)

// TestPrivateAsk: /ask private:true is acknowledged ephemerally, so the
// answer (edits of that response) is seen by the asker alone, and no
// thread is opened on it.
func TestPrivateAsk(t *testing.T) {
	t.Parallel()
	ans := &fakeAnswerer{text: "新增就业3.4万人。 [1]"}
	tb := startBot(t, Options{}, ans, nil)
	in, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: "ask", Options: map[string]string{"question": "2018年新增就业目标是多少?"},
		Bools: map[string]bool{"private": true}, GuildID: guild, ChannelID: channel, UserID: user})
	if err != nil {
		t.Fatal(err)
	}
	tb.waitOriginal(t, in, final)
	cbs := callbacks(tb, in)
	if len(cbs) != 1 || cbs[0]["type"] != float64(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
		t.Fatalf("callbacks %v, want one deferred response", cbs)
	}
	data, _ := cbs[0]["data"].(map[string]any)
	if flags, _ := data["flags"].(float64); int(flags)&int(discordgo.MessageFlagsEphemeral) == 0 {
		t.Errorf("deferred response %v is not ephemeral", cbs[0])
	}
	msgID, _ := tb.srv.OriginalID(in.Token)
	if msg, _ := tb.srv.Message(msgID); msg == nil || !strings.Contains(msg.Content, "3.4万") {
		t.Errorf("private answer %+v lacks the figure", msg)
	}
	for _, r := range tb.srv.Requests() {
		if strings.HasSuffix(r.Path, "/threads") {
			t.Errorf("a thread was opened on a private answer: %s %s", r.Method, r.Path)
		}
	}
}

package discordtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/reportbot/reportbot/bot/discordtest"
)

const (
	guild1 = "100000000000000001"
	guild2 = "100000000000000002"
)

// open opens a discordgo session with intents and handlers on srv, and
// waits until n identifies or resumes in all.
func open(t *testing.T, srv *discordtest.Server, intents discordgo.Intent, handlers ...any) *discordgo.Session {
	t.Helper()
	dg, err := srv.NewSession("token")
	if err != nil {
		t.Fatal(err)
	}
	dg.Identify.Intents = intents
	dg.StateEnabled = false // the events as sent, not as the state merged them
	if testing.Verbose() {
		dg.LogLevel = discordgo.LogInformational
	}
	for _, h := range handlers {
		dg.AddHandler(h)
	}
	if err := dg.Open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = dg.Close() })
	if err := srv.WaitConnected(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	return dg
}

// receive waits for one value from ch.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		var zero T
		t.Fatal("timed out waiting for an event")
		return zero
	}
}

// TestReadyGuilds checks that READY lists the guilds as unavailable and a
// GUILD_CREATE follows for each.
func TestReadyGuilds(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(discordtest.WithGuilds(guild1, guild2))
	t.Cleanup(srv.Close)
	ready := make(chan *discordgo.Ready, 1)
	created := make(chan string, 2)
	open(t, srv, discordgo.IntentsGuilds,
		func(_ *discordgo.Session, r *discordgo.Ready) { ready <- r },
		func(_ *discordgo.Session, g *discordgo.GuildCreate) { created <- g.ID })
	r := receive(t, ready)
	if len(r.Guilds) != 2 || !r.Guilds[0].Unavailable || r.Guilds[0].ID != guild1 {
		t.Errorf("READY guilds %+v, want %s and %s unavailable", r.Guilds, guild1, guild2)
	}
	got := map[string]bool{receive(t, created): true, receive(t, created): true}
	if !got[guild1] || !got[guild2] {
		t.Errorf("GUILD_CREATE for %v, want %s and %s", got, guild1, guild2)
	}
}

// TestThreadCreate checks that starting a thread dispatches THREAD_CREATE
// with the guild of its channel.
func TestThreadCreate(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	threads := make(chan *discordgo.ThreadCreate, 1)
	open(t, srv, discordgo.IntentsGuilds, func(_ *discordgo.Session, th *discordgo.ThreadCreate) { threads <- th })
	if _, err := srv.Say(t.Context(), discordtest.Message{Content: "hi", GuildID: guild1, ChannelID: ch, UserID: "3"}); err != nil {
		t.Fatal(err)
	}
	status, body := call(t, srv, "POST", "/channels/"+ch+"/messages/1/threads", map[string]any{"name": "a thread"})
	if status != 201 {
		t.Fatalf("got %d %v, want 201", status, body)
	}
	th := receive(t, threads)
	if th.ID != body["id"] || th.GuildID != guild1 || th.ParentID != ch || th.Name != "a thread" || !th.NewlyCreated {
		t.Errorf("THREAD_CREATE %+v, want id %v in guild %s under %s, newly created", th.Channel, body["id"], guild1, ch)
	}
}

// TestMessageContent checks that without the Message Content intent a
// guild message arrives without content unless it mentions the bot, and
// a DM arrives whole; with the intent every message does.
func TestMessageContent(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name    string
		intents discordgo.Intent
		msg     discordtest.Message
		want    string
	}{
		{"guild", discordgo.IntentsGuildMessages, discordtest.Message{GuildID: guild1}, ""},
		{"guild mention", discordgo.IntentsGuildMessages, discordtest.Message{GuildID: guild1, MentionsBot: true}, "text"},
		{"dm", discordgo.IntentsDirectMessages, discordtest.Message{}, "text"},
		{"guild with intent", discordgo.IntentsGuildMessages | discordgo.IntentMessageContent, discordtest.Message{GuildID: guild1}, "text"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := discordtest.NewServer()
			t.Cleanup(srv.Close)
			msgs := make(chan *discordgo.MessageCreate, 1)
			open(t, srv, tt.intents, func(_ *discordgo.Session, m *discordgo.MessageCreate) { msgs <- m })
			tt.msg.Content, tt.msg.ChannelID, tt.msg.UserID = "text", ch, "3"
			if _, err := srv.Say(t.Context(), tt.msg); err != nil {
				t.Fatal(err)
			}
			if got := receive(t, msgs).Content; got != tt.want {
				t.Errorf("content %q, want %q", got, tt.want)
			}
		})
	}
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// TestReconnect checks that op 7 makes discordgo resume. (discordgo
// v0.29 answers op 7 from two goroutines at once and may go on closing
// and resuming for a while; this test asks only for the resume.)
func TestReconnect(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	open(t, srv, discordgo.IntentsGuilds)
	if err := srv.SendReconnect(t.Context()); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a resume after op 7", func() bool { return srv.Resumes() >= 1 })
}

// TestInvalidSession checks that op 9 (not resumable) makes discordgo
// identify again.
func TestInvalidSession(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	open(t, srv, discordgo.IntentsGuilds)
	if err := srv.SendInvalidSession(t.Context(), false); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "a second identify after op 9", func() bool { return len(srv.Identifies()) >= 2 })
}

// TestMissedHeartbeatACKs checks that withheld heartbeat ACKs make
// discordgo reconnect (after five intervals without one).
func TestMissedHeartbeatACKs(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer(discordtest.WithHeartbeatInterval(200 * time.Millisecond))
	t.Cleanup(srv.Close)
	srv.WithholdHeartbeatACKs(true)
	open(t, srv, discordgo.IntentsGuilds)
	waitFor(t, "a reconnection after missed heartbeat ACKs", func() bool { return srv.Resumes() >= 1 })
	srv.WithholdHeartbeatACKs(false)
}

// TestMissedEventsAreReplayed checks that events dispatched while the
// client's connection is down (dropped, not yet resumed) reach it after
// it resumes, once each, as Discord replays missed events on RESUME.
func TestMissedEventsAreReplayed(t *testing.T) {
	t.Parallel()
	srv := discordtest.NewServer()
	t.Cleanup(srv.Close)
	got := make(chan string, 10)
	open(t, srv, discordgo.IntentsDirectMessages, func(_ *discordgo.Session, m *discordgo.MessageCreate) { got <- m.Content })
	waitFor(t, "the first heartbeat", func() bool { return srv.Heartbeats() > 0 })
	srv.DropConnections()
	for _, text := range []string{"one", "two"} {
		if _, err := srv.Say(t.Context(), discordtest.Message{Content: text, ChannelID: "5", UserID: "3"}); err != nil {
			t.Fatalf("dispatch while disconnected: %v", err)
		}
	}
	// discordgo runs handlers in goroutines: any order.
	if a, b := receive(t, got), receive(t, got); a+b != "onetwo" && a+b != "twoone" {
		t.Errorf("after resuming got %q, %q; want one and two", a, b)
	}
	if srv.Resumes() == 0 {
		t.Error("the client did not resume")
	}
	if _, err := srv.Say(t.Context(), discordtest.Message{Content: "three", ChannelID: "5", UserID: "3"}); err != nil {
		t.Fatal(err)
	}
	if c := receive(t, got); c != "three" {
		t.Errorf("got %q, want three (an event delivered twice?)", c)
	}
}

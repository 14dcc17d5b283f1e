package bot

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// The load of BenchmarkConcurrentAsks, issue 16's "Discord under real
// conditions": 50 /ask at once, Discord's round trip and limits, answers
// that stream for about 3 s.
const (
	benchAsks       = 50
	benchLatency    = 120 * time.Millisecond
	benchPieces     = 30                     // streamed pieces per answer
	benchPieceEvery = 100 * time.Millisecond // so an answer streams for 3 s
	benchMarker     = "新增就业3.4万人。"           // each piece; visible answer text
)

// BenchmarkConcurrentAsks drives 50 concurrent /ask through the strict
// fake Discord with 120 ms latency, Discord's per-route buckets and
// global limit, max_concurrent 64 and queue_size 64, and an answerer
// that streams for 3 s. It reports the p50 and max time from dispatch to
// the first visible answer text and to the final answer, as the fake
// received them. Each round starts when the last one's answers have all
// left their slots (they open threads after the final answer).
//
//	go test ./bot -run '^$' -bench ConcurrentAsks -benchtime 3x
func BenchmarkConcurrentAsks(b *testing.B) {
	srv := discordtest.NewServer(discordtest.WithRateLimits(discordtest.DiscordRateLimits), discordtest.WithLatency(benchLatency))
	b.Cleanup(srv.Close)
	ans := &fakeAnswerer{text: strings.Repeat(benchMarker, benchPieces) + " [1]", step: benchPieceEvery}
	bot, stop := benchBot(b, srv, Options{MaxConcurrent: 64, QueueSize: 64, EditInterval: time.Second, MaxQuestionRunes: testMaxRunes}, ans)
	defer stop()
	var first, final []time.Duration
	for b.Loop() {
		// Each round starts on an idle bot: the answers of the last
		// one may still hold their slots while their threads open.
		for bot.adm.Running() > 0 {
			time.Sleep(10 * time.Millisecond)
		}
		f, l := benchRound(b, srv)
		first, final = append(first, f...), append(final, l...)
	}
	b.StopTimer()
	slices.Sort(first)
	slices.Sort(final)
	b.ReportMetric(first[len(first)/2].Seconds(), "first-p50-s")
	b.ReportMetric(first[len(first)-1].Seconds(), "first-max-s")
	b.ReportMetric(final[len(final)/2].Seconds(), "final-p50-s")
	b.ReportMetric(final[len(final)-1].Seconds(), "final-max-s")
}

// benchRound asks benchAsks questions at once and returns, for each, the
// time to its first visible answer text and to its final answer.
func benchRound(b *testing.B, srv *discordtest.Server) (first, final []time.Duration) {
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	ins := make([]discordtest.Interaction, benchAsks)
	sent := make([]time.Time, benchAsks)
	var wg sync.WaitGroup
	for i := range benchAsks {
		wg.Go(func() {
			sent[i] = time.Now()
			in, err := srv.Command(ctx, discordtest.Command{Name: "ask", Options: map[string]string{"question": fmt.Sprintf("问题%d 就业", i)},
				GuildID: guild, ChannelID: channel, UserID: strconv.Itoa(2000 + i)})
			if err != nil {
				b.Error(err)
			}
			ins[i] = in
		})
	}
	wg.Wait()
	firstAt := make([]time.Time, benchAsks)
	finalAt := make([]time.Time, benchAsks)
	err := srv.Wait(ctx, func(v discordtest.View) bool {
		done := 0
		for i, in := range ins {
			if !finalAt[i].IsZero() {
				done++
				continue
			}
			firstAt[i], finalAt[i] = answerTimes(v.Requests(), in.Token)
			if !finalAt[i].IsZero() {
				done++
			}
		}
		return done == benchAsks
	})
	if err != nil {
		b.Fatalf("not every answer arrived: %v", err)
	}
	for i := range ins {
		first = append(first, firstAt[i].Sub(sent[i]))
		final = append(final, finalAt[i].Sub(sent[i]))
	}
	return first, final
}

// answerTimes returns when the fake accepted the first edit of token's
// response that showed answer text, and its final edit (the one with the
// answer's buttons).
func answerTimes(reqs []discordtest.Request, token string) (first, final time.Time) {
	for _, r := range reqs {
		if r.Method != "PATCH" || r.Status != 200 || !strings.Contains(r.Path, "/"+token+"/messages/@original") {
			continue
		}
		body := string(r.Body)
		if first.IsZero() && strings.Contains(body, benchMarker) {
			first = r.Time
		}
		if strings.Contains(body, `"custom_id"`) {
			return first, r.Time
		}
	}
	return first, time.Time{}
}

// benchBot runs a bot against srv until the returned stop is called.
func benchBot(b *testing.B, srv *discordtest.Server, opt Options, ans Answerer) (*Bot, func()) {
	s, err := srv.NewSession("test-token")
	if err != nil {
		b.Fatal(err)
	}
	bot, err := New(s, ans, nil, opt)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- bot.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(b.Context(), 30*time.Second)
	defer wcancel()
	err = srv.Wait(wctx, func(v discordtest.View) bool {
		for _, r := range v.Requests() {
			if r.Method == "PUT" && strings.HasSuffix(r.Path, "/commands") {
				return true
			}
		}
		return false
	})
	if err == nil {
		err = srv.WaitConnected(wctx, 1)
	}
	if err != nil {
		cancel()
		b.Fatalf("bot did not start: %v", err)
	}
	return bot, func() {
		cancel()
		if err := <-errc; err != nil {
			b.Error(err)
		}
	}
}

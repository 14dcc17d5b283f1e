package bot

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// fakeUploads is an Uploads in memory: Add keeps the file, Index reports
// progress in three steps, and the id "corpus-report" names a report of
// the corpus directory.
type fakeUploads struct {
	readOnly string
	addErr   error // returned by Add when set

	mu      sync.Mutex
	ups     []UploadedReport
	data    map[string][]byte
	indexed int
	removed []string
}

func (f *fakeUploads) ReadOnly() string { return f.readOnly }

func (f *fakeUploads) Add(_ context.Context, u UploadFile) (UploadedReport, error) {
	if f.addErr != nil {
		return UploadedReport{}, f.addErr
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.data == nil {
		f.data = map[string][]byte{}
	}
	up := UploadedReport{ID: fmt.Sprintf("u%07d", len(f.ups)+1), Name: u.Name, Kind: "text", Bytes: int64(len(u.Data)), Added: time.Now(), AddedBy: u.UserID}
	f.ups = append(f.ups, up)
	f.data[up.ID] = u.Data
	return up, nil
}

func (f *fakeUploads) Index(_ context.Context, progress func(done, total int)) (ReindexResult, error) {
	for n := range 4 {
		if progress != nil {
			progress(n, 3)
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.indexed++
	for i := range f.ups {
		f.ups[i].Title, f.ups[i].Year, f.ups[i].Passages = "上传的报告", 2018, 7
	}
	return ReindexResult{Reports: 2 + len(f.ups), Passages: 96 + 7*len(f.ups)}, nil
}

func (f *fakeUploads) Find(_ context.Context, id string) (UploadedReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, u := range f.ups {
		if u.ID == id {
			return u, nil
		}
	}
	if id == "corpus-report" {
		return UploadedReport{}, fmt.Errorf("%w: corpus-report is the report 武清区2018年政府工作报告 of the corpus directory (wuqing-2018.txt)", ErrNotUpload)
	}
	return UploadedReport{}, ErrUnknownUpload
}

func (f *fakeUploads) Remove(ctx context.Context, id string) (UploadedReport, error) {
	up, err := f.Find(ctx, id)
	if err != nil {
		return up, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, u := range f.ups {
		if u.ID == id {
			f.ups = append(f.ups[:i], f.ups[i+1:]...)
			break
		}
	}
	f.removed = append(f.removed, id)
	return up, nil
}

func (f *fakeUploads) List(context.Context) ([]UploadedReport, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]UploadedReport(nil), f.ups...), nil
}

func (f *fakeUploads) state() (ups []UploadedReport, indexed int, removed []string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]UploadedReport(nil), f.ups...), f.indexed, append([]string(nil), f.removed...)
}

// reportFile is a small report, as a text file.
var reportFile = []byte("武清区2018年政府工作报告\n\n一、2017年工作回顾\n\n新增就业3.4万人。\n")

// addReport dispatches /addreport with file name and data, by user with
// roles.
func (tb *testBot) addReport(t *testing.T, name string, data []byte, roles ...string) (discordtest.Interaction, discordtest.Attachment) {
	t.Helper()
	in, att, err := tb.srv.CommandWithFile(testCtx(t), discordtest.Command{Name: cmdAddReport, GuildID: guild, ChannelID: channel, UserID: user, Roles: roles},
		discordtest.Upload{Option: optFile, Name: name, ContentType: "text/plain; charset=utf-8", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	return in, att
}

// startUploadBot runs a bot with up as its Uploads and admin as the admin
// role.
func startUploadBot(t *testing.T, up Uploads, opt Options) *testBot {
	t.Helper()
	opt.AdminRoles, opt.Uploads = []string{admin}, up
	return startBot(t, opt, &fakeAnswerer{}, &fakeLibrary{})
}

// uploadFinal reports whether an upload command's reply is final (not
// progress).
func uploadFinal(c string, m map[string]any) bool {
	return final(c, m) && !strings.HasPrefix(c, "⬇️") && !strings.HasPrefix(c, "⏳")
}

// cdnGets counts the fake CDN's GET requests.
func cdnGets(srv *discordtest.Server) int {
	n := 0
	for _, r := range srv.CDNRequests() {
		if r.Method == "GET" {
			n++
		}
	}
	return n
}

// TestAddReport: an admin's attachment is downloaded from the fake CDN
// (without the bot token), stored, indexed with progress edits in a
// private reply, and listed by /reports with its id.
func TestAddReport(t *testing.T) {
	t.Parallel()
	up := &fakeUploads{}
	tb := startUploadBot(t, up, Options{})
	in, _ := tb.addReport(t, "武清 2018.txt", reportFile, admin)
	got := tb.waitOriginal(t, in, contains("✅"))
	content, _ := got["content"].(string)
	for _, want := range []string{"u0000001", "7 passages", "/removereport id:u0000001", "上传的报告"} {
		if !strings.Contains(content, want) {
			t.Errorf("reply %q lacks %q", content, want)
		}
	}
	cbs := callbacks(tb, in)
	if len(cbs) != 1 || cbs[0]["type"] != float64(discordgo.InteractionResponseDeferredChannelMessageWithSource) {
		t.Fatalf("callbacks %v, want one deferred response", cbs)
	}
	if data, _ := cbs[0]["data"].(map[string]any); int(data["flags"].(float64))&int(discordgo.MessageFlagsEphemeral) == 0 {
		t.Errorf("the reply is public: %v", cbs[0])
	}
	ups, indexed, _ := up.state()
	if len(ups) != 1 || string(up.data[ups[0].ID]) != string(reportFile) || ups[0].AddedBy != user || indexed != 1 {
		t.Errorf("uploads %+v indexed %d: want the file stored once, by the user, and indexed", ups, indexed)
	}
	progress := 0
	for _, r := range tb.srv.Requests() {
		if r.Method == "PATCH" && strings.Contains(string(r.Body), "passages…") {
			progress++
		}
	}
	if progress == 0 {
		t.Error("no progress edit while indexing")
	}
	for _, r := range tb.srv.CDNRequests() {
		if r.Authorized || r.Status != 200 {
			t.Errorf("CDN request %+v: want 200 without an Authorization header", r)
		}
	}
	if n := cdnGets(tb.srv); n != 1 {
		t.Errorf("%d CDN downloads, want 1", n)
	}
	checkNoPings(t, tb.srv.Requests())

	rin, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: "reports", GuildID: guild, ChannelID: channel, UserID: user})
	if err != nil {
		t.Fatal(err)
	}
	list := tb.waitOriginal(t, rin, contains("reports,"))
	if c, _ := list["content"].(string); !strings.Contains(c, "`u0000001`") {
		t.Errorf("/reports %q does not list the upload's id", c)
	}
}

// TestAddReportRefused: each refusal has its own clear, private message
// and stores nothing; a too-large file, a non-admin and a read-only
// (shared) index are refused before anything is downloaded.
func TestAddReportRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		up       *fakeUploads
		opt      Options
		roles    []string
		want     string
		download bool
	}{
		{name: "too large", up: &fakeUploads{}, opt: Options{MaxUploadBytes: 16}, roles: []string{admin}, want: "at most 1 KiB"},
		{name: "not an admin", up: &fakeUploads{}, want: "Only members with an admin role"},
		{name: "shared store", up: &fakeUploads{readOnly: "The index is shared: add the file to the indexer's corpus directory and run `reportbot index`."},
			roles: []string{admin}, want: "indexer's corpus directory"},
		{name: "wrong type", up: &fakeUploads{addErr: fmt.Errorf("%w: the file is a ZIP archive, not a report (PDF, Word, HTML or text)", ErrUploadRejected)},
			roles: []string{admin}, want: "Not added: the file is a ZIP archive", download: true},
		{name: "duplicate", up: &fakeUploads{addErr: &DuplicateError{ID: "3fa9c2e1", Name: "wuqing-2018.txt"}},
			roles: []string{admin}, want: "already added as upload `3fa9c2e1`", download: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tb := startUploadBot(t, tt.up, tt.opt)
			in, _ := tb.addReport(t, "report.txt", reportFile, tt.roles...)
			got := tb.waitOriginal(t, in, uploadFinal)
			if c, _ := got["content"].(string); !strings.Contains(c, tt.want) {
				t.Errorf("reply %q, want it to say %q", c, tt.want)
			}
			if n := cdnGets(tb.srv); (n > 0) != tt.download {
				t.Errorf("%d downloads, want download %v", n, tt.download)
			}
			ups, indexed, _ := tt.up.state()
			if len(ups) != 0 || indexed != 0 {
				t.Errorf("uploads %v, indexed %d: want nothing stored or indexed", ups, indexed)
			}
			for _, cb := range callbacks(tb, in) {
				if data, _ := cb["data"].(map[string]any); data == nil || int(data["flags"].(float64))&int(discordgo.MessageFlagsEphemeral) == 0 {
					t.Errorf("refusal %v is public", cb)
				}
			}
		})
	}
}

// TestDownloadOnlyFromDiscord: an attachment URL that is not Discord's
// CDN over https is never fetched.
func TestDownloadOnlyFromDiscord(t *testing.T) {
	t.Parallel()
	tb := startUploadBot(t, &fakeUploads{}, Options{})
	for _, u := range []string{"http://cdn.discordapp.com/x.txt", "https://example.com/x.txt", "https://cdn.discordapp.com.example.com/x", "file:///etc/passwd"} {
		if _, err := tb.bot.download(t.Context(), &discordgo.MessageAttachment{URL: u, Size: 3}); err == nil {
			t.Errorf("download %s: no error", u)
		}
	}
	if n := len(tb.srv.CDNRequests()); n != 0 {
		t.Errorf("%d CDN requests, want none", n)
	}
}

// removeConfirmation dispatches /removereport id and returns the
// interaction and the confirmation message's id.
func (tb *testBot) removeConfirmation(t *testing.T, id string) (discordtest.Interaction, string) {
	t.Helper()
	in, err := tb.srv.Command(testCtx(t), discordtest.Command{Name: cmdRemoveReport, Options: map[string]string{optID: id},
		GuildID: guild, ChannelID: channel, UserID: user, Roles: []string{admin}})
	if err != nil {
		t.Fatal(err)
	}
	tb.waitOriginal(t, in, final)
	msgID, _ := tb.srv.OriginalID(in.Token)
	return in, msgID
}

// buttonIDs returns the custom ids of a message's buttons.
func buttonIDs(m *discordgo.Message) []string {
	var ids []string
	for _, r := range m.Components {
		if row, ok := r.(*discordgo.ActionsRow); ok {
			for _, c := range row.Components {
				if b, ok := c.(*discordgo.Button); ok {
					ids = append(ids, b.CustomID)
				}
			}
		}
	}
	return ids
}

// TestRemoveReport: /removereport asks for confirmation; another user's
// click is refused; the invoker's removes the upload and re-indexes,
// editing the confirmation message, whose buttons go.
func TestRemoveReport(t *testing.T) {
	t.Parallel()
	up := &fakeUploads{}
	if _, err := up.Add(t.Context(), UploadFile{Name: "report.txt", Data: reportFile}); err != nil {
		t.Fatal(err)
	}
	tb := startUploadBot(t, up, Options{})
	in, msgID := tb.removeConfirmation(t, "u0000001")
	msg, _ := tb.srv.Message(msgID)
	ids := buttonIDs(msg)
	if len(ids) != 2 || !strings.HasPrefix(ids[0], idRemove) || !strings.Contains(msg.Content, "u0000001") {
		t.Fatalf("confirmation %q with buttons %v", msg.Content, ids)
	}
	body := clickResponse(t, tb.srv, discordtest.Click{CustomID: ids[0], MessageID: msgID, GuildID: guild, ChannelID: channel,
		UserID: "300000000000000009", Roles: []string{admin}})
	if !strings.Contains(string(body), "Only the admin who asked") {
		t.Errorf("another admin's click answered %s", body)
	}
	if _, _, removed := up.state(); len(removed) != 0 {
		t.Fatalf("removed %v on another user's click", removed)
	}
	clickResponse(t, tb.srv, discordtest.Click{CustomID: ids[0], MessageID: msgID, GuildID: guild, ChannelID: channel, UserID: user, Roles: []string{admin}})
	err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
		m, ok := v.Original(in.Token)
		c, _ := m["content"].(string)
		return ok && strings.Contains(c, "🗑️")
	})
	if err != nil {
		t.Fatal(err)
	}
	msg, _ = tb.srv.Message(msgID)
	if !strings.Contains(msg.Content, "Removed upload `u0000001`") || len(buttonIDs(msg)) != 0 {
		t.Errorf("after removal the message is %q with buttons %v", msg.Content, buttonIDs(msg))
	}
	if ups, indexed, removed := up.state(); len(ups) != 0 || indexed != 1 || len(removed) != 1 {
		t.Errorf("uploads %v, indexed %d, removed %v: want it removed and re-indexed once", ups, indexed, removed)
	}
}

// TestRemoveReportRefused: a report of the corpus directory, an unknown
// id, a read-only index and an expired confirmation remove nothing and
// say why.
func TestRemoveReportRefused(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, id, readOnly, want string
	}{
		{name: "corpus file", id: "corpus-report", want: "of the corpus directory"},
		{name: "unknown", id: "nope", want: "No upload has the id `nope`"},
		{name: "shared store", id: "u0000001", readOnly: "The index is shared.", want: "The index is shared."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			up := &fakeUploads{readOnly: tt.readOnly}
			tb := startUploadBot(t, up, Options{})
			_, msgID := tb.removeConfirmation(t, tt.id)
			msg, _ := tb.srv.Message(msgID)
			if !strings.Contains(msg.Content, tt.want) || len(buttonIDs(msg)) != 0 {
				t.Errorf("reply %q with buttons %v, want %q and no buttons", msg.Content, buttonIDs(msg), tt.want)
			}
		})
	}
	t.Run("expired", func(t *testing.T) {
		t.Parallel()
		up := &fakeUploads{}
		if _, err := up.Add(t.Context(), UploadFile{Name: "report.txt", Data: reportFile}); err != nil {
			t.Fatal(err)
		}
		tb := startUploadBot(t, up, Options{})
		_, msgID := tb.removeConfirmation(t, "u0000001")
		past := fmt.Sprintf("%su0000001:%s:%d", idRemove, user, time.Now().Add(-time.Second).Unix())
		body := clickResponse(t, tb.srv, discordtest.Click{CustomID: past, MessageID: msgID, GuildID: guild, ChannelID: channel, UserID: user, Roles: []string{admin}})
		if !strings.Contains(string(body), "expired") {
			t.Errorf("expired confirmation answered %s", body)
		}
		if _, _, removed := up.state(); len(removed) != 0 {
			t.Errorf("removed %v after expiry", removed)
		}
	})
}

// TestCDNStrict: the fake CDN serves only the URLs it issued, unaltered,
// before they expire; and only for a command that declares the
// attachment option.
func TestCDNStrict(t *testing.T) {
	t.Parallel()
	clock := discordtest.NewManualClock(time.Now())
	srv := discordtest.NewServer(discordtest.WithClock(clock))
	t.Cleanup(srv.Close)
	tb := startBotOn(t, srv, Options{AdminRoles: []string{admin}, Uploads: &fakeUploads{}, MaxUploadBytes: int64(len(reportFile) + 1)}, &fakeAnswerer{}, &fakeLibrary{})
	if _, _, err := srv.CommandWithFile(testCtx(t), discordtest.Command{Name: "ask", GuildID: guild, ChannelID: channel, UserID: user},
		discordtest.Upload{Option: "file", Name: "a.txt", Data: reportFile}); err == nil {
		t.Error("an attachment for a command without an attachment option was dispatched")
	}
	in, att := tb.addReport(t, "a.txt", reportFile, admin)
	tb.waitOriginal(t, in, contains("✅"))
	get := func(u string) int {
		req, err := newGet(t.Context(), u)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if s := get(att.URL); s != 200 || att.Size != len(reportFile) {
		t.Errorf("issued URL: status %d, declared size %d; want 200, %d", s, att.Size, len(reportFile))
	}
	for _, bad := range []string{strings.Replace(att.URL, "hm=", "hm=0", 1), strings.Replace(att.URL, "a.txt", "b.txt", 1),
		"https://cdn.discordapp.com/ephemeral-attachments/1/2/a.txt"} {
		if s := get(bad); s != 404 {
			t.Errorf("GET %s: status %d, want 404", bad, s)
		}
	}
	// The bot holds the CDN to the declared size and to its limit,
	// whatever the size said.
	if _, err := tb.bot.download(t.Context(), &discordgo.MessageAttachment{URL: att.URL, Size: att.Size - 1}); err == nil || !strings.Contains(err.Error(), "declared") {
		t.Errorf("download of a size other than declared: %v", err)
	}
	bigIn, big := tb.addReport(t, "big.txt", append(reportFile, reportFile...), admin)
	tb.waitOriginal(t, bigIn, contains("at most")) // refused before any download
	if _, err := tb.bot.download(t.Context(), &discordgo.MessageAttachment{URL: big.URL, Size: len(reportFile)}); !errors.Is(err, errTooLarge) {
		t.Errorf("download past the limit: %v, want errTooLarge", err)
	}
	clock.Advance(25 * time.Hour)
	if s := get(att.URL); s != 404 {
		t.Errorf("expired URL: status %d, want 404", s)
	}
}

func newGet(ctx context.Context, u string) (*http.Request, error) {
	return http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
}

package bot

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/reportbot/reportbot/bot/discordtest"
)

// testChart is a small PNG standing for a chart.
func testChart(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 16, 9))
	img.Set(3, 3, color.RGBA{R: 255, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var testTable = &Table{
	Title:   "全国国内生产总值增长目标(2010–2013年)",
	Columns: []string{"年份", "目标"},
	Rows: []TableRow{
		{Cells: []string{"2010年", "8%左右"}, Source: 1},
		{Cells: []string{"2011年", "未给出"}},
		{Cells: []string{"2012年", "7.5%"}, Source: 2},
		{Cells: []string{"2013年", "7.5%左右"}, Source: 3},
	},
	Notes: []string{"未收录2014年的报告,2014年从略。"},
}

// TestTableEmbedAndChartArrive: an answer with a table and a chart is
// posted with the table as an embed whose image is the chart, attached
// as a PNG file in a multipart request, on the interaction response and
// on a reply to a mention.
func TestTableEmbedAndChartArrive(t *testing.T) {
	t.Parallel()
	chart := testChart(t)
	for _, via := range []string{"interaction", "mention"} {
		t.Run(via, func(t *testing.T) {
			t.Parallel()
			ans := &fakeAnswerer{text: "全国国内生产总值增长目标(2010–2013年):\n2010年: 8%左右 [1]", table: testTable, chart: chart}
			tb := startBot(t, Options{AnswerMentions: true}, ans, nil)
			var msgID string
			if via == "interaction" {
				in := tb.ask(t, channel, "2010到2013年国内生产总值增长目标")
				tb.waitOriginal(t, in, final)
				msgID, _ = tb.srv.OriginalID(in.Token)
			} else {
				if _, err := tb.srv.Say(testCtx(t), discordtest.Message{Content: "<@" + discordtest.BotUserID + "> 2010到2013年国内生产总值增长目标",
					GuildID: guild, ChannelID: other, UserID: user, MentionsBot: true}); err != nil {
					t.Fatal(err)
				}
				err := tb.srv.Wait(testCtx(t), func(v discordtest.View) bool {
					for _, r := range v.Requests() {
						if len(r.Files) > 0 && strings.HasPrefix(r.Path, "/channels/"+other+"/messages") && r.Status == 200 {
							return true
						}
					}
					return false
				})
				if err != nil {
					t.Fatalf("no message with files: %v", err)
				}
			}
			var withFiles []Request
			for _, r := range tb.srv.Requests() {
				if len(r.Files) > 0 {
					withFiles = append(withFiles, r)
				}
			}
			if len(withFiles) != 1 {
				t.Fatalf("%d requests carried files, want 1", len(withFiles))
			}
			r := withFiles[0]
			if r.Status != 200 {
				t.Fatalf("the fake answered %d to the message with the chart", r.Status)
			}
			f := r.Files[0]
			if f.Field != "files[0]" || f.Name != ChartName || f.ContentType != "image/png" {
				t.Errorf("file part %s %q %s, want files[0] %q image/png", f.Field, f.Name, f.ContentType, ChartName)
			}
			if _, err := png.Decode(bytes.NewReader(f.Data)); err != nil {
				t.Errorf("the attached chart does not decode as PNG: %v", err)
			}
			if via == "mention" {
				msgID = lastMessageWithFiles(t, tb.srv, other)
			}
			msg, ok := tb.srv.Message(msgID)
			if !ok {
				t.Fatalf("no message %s", msgID)
			}
			if len(msg.Attachments) != 1 || msg.Attachments[0].Filename != ChartName {
				t.Errorf("attachments %+v, want %s", msg.Attachments, ChartName)
			}
			if len(msg.Embeds) < 2 {
				t.Fatalf("got %d embeds, want the table and the sources", len(msg.Embeds))
			}
			e := msg.Embeds[0]
			for _, want := range []string{"```", "2010年  8%左右", "[1]", "未给出", "2014年从略"} {
				if !strings.Contains(e.Description, want) {
					t.Errorf("table embed description %q lacks %q", e.Description, want)
				}
			}
			if e.Title != testTable.Title {
				t.Errorf("table embed title %q, want %q", e.Title, testTable.Title)
			}
			if e.Image == nil || !strings.HasSuffix(e.Image.URL, "/"+ChartName) || strings.HasPrefix(e.Image.URL, "attachment://") {
				t.Errorf("table embed image %+v, want the attachment's URL", e.Image)
			}
			checkNoPings(t, tb.srv.Requests())
		})
	}
}

// lastMessageWithFiles is the id of the latest message of channel ch
// edited with files (the bot's reply is posted, then edited).
func lastMessageWithFiles(t *testing.T, srv *discordtest.Server, ch string) string {
	t.Helper()
	id := ""
	for _, r := range srv.Requests() {
		if len(r.Files) == 0 || !strings.HasPrefix(r.Path, "/channels/"+ch+"/messages") {
			continue
		}
		if parts := strings.Split(strings.Trim(r.Path, "/"), "/"); len(parts) == 4 {
			id = parts[3]
		}
	}
	if id == "" {
		t.Fatalf("no edit of a message of %s carried files", ch)
	}
	return id
}

// TestTableEmbedLimits: a table of many long rows stays within Discord's
// limits, with its rows cut and counted, and a table without a chart has
// no image.
func TestTableEmbedLimits(t *testing.T) {
	t.Parallel()
	big := &Table{Title: strings.Repeat("标题", 200), Columns: []string{"地区", "目标"}}
	for i := range 400 {
		big.Rows = append(big.Rows, TableRow{Cells: []string{strings.Repeat("省", 30), strings.Repeat("9", 50)}, Source: i + 1})
	}
	e := tableEmbed(big, false)
	if n := utf8.RuneCountInString(e.Description); n > maxEmbedDescription {
		t.Errorf("description has %d runes, over %d", n, maxEmbedDescription)
	}
	if n := utf8.RuneCountInString(e.Title); n > maxEmbedTitle {
		t.Errorf("title has %d runes, over %d", n, maxEmbedTitle)
	}
	if !strings.Contains(e.Description, "more rows") || !strings.HasSuffix(e.Description, "```") {
		t.Errorf("a cut table must count the rows left out and close its code block: …%s", e.Description[len(e.Description)-80:])
	}
	if e.Image != nil {
		t.Errorf("image %+v without a chart", e.Image)
	}
	msgs := renderAnswer(&Answer{Text: "x [1]", Sources: []Source{testSource}, Table: big, Chart: []byte{1}}, false)
	for _, m := range msgs {
		total := 0
		for _, e := range m.Embeds {
			total += embedLen(e)
		}
		if total > maxEmbedTotal || len(m.Embeds) > maxEmbedsPerMessage {
			t.Errorf("a message has %d embeds of %d runes", len(m.Embeds), total)
		}
	}
	files := 0
	for _, m := range msgs {
		files += len(m.Files)
	}
	if files != 1 {
		t.Errorf("%d files attached over the messages, want 1", files)
	}
}

package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"unicode"

	"github.com/reportbot/reportbot/bot"
	"github.com/reportbot/reportbot/cmd/internal/app"
	"github.com/reportbot/reportbot/internal/safetext"
)

var feedbackHelp = commandHelp{
	summary: "list the Discord bot's feedback votes and export wrong answers as eval questions",
	usage:   []string{"reportbot feedback [flags]"},
	details: `Reads the feedback file the bot writes (discord.feedback_file, default
feedback.jsonl in the data directory) and prints each user's current vote on
each answer: the last one, since a user has one vote per answer.

With --export FILE, the answers marked wrong (by anyone, one line per answer)
are written to FILE as candidate eval questions in JSON Lines: id, lang,
question, an empty answer for a person to fill (with source), and a note with
the bot's answer and the passage ids it cited. Answers whose question the bot
no longer knew (voted on after a restart without memory) are left out.`,
}

func cmdFeedback(env *environment, args []string) error {
	fs := newFlagSet("feedback", feedbackHelp)
	configPath := fs.String("config", "", "YAML config file (see config.example.yaml); default: built-in defaults")
	data := fs.String("data", "", "data directory holding feedback.jsonl (default: the user cache dir)")
	file := fs.String("file", "", "feedback file to read (default: discord.feedback_file, or feedback.jsonl in the data directory)")
	export := fs.String("export", "", "write the answers marked wrong to this file as candidate eval questions (JSON Lines)")
	pos, err := parseArgs(env, fs, args)
	if err != nil {
		return err
	}
	if err := noArgs(fs, pos); err != nil {
		return err
	}
	path := *file
	if path == "" {
		cfg, err := loadConfig(*configPath)
		if err != nil {
			return err
		}
		if *data != "" {
			cfg.DataDir = *data
		}
		path = cfg.Discord.FeedbackFile
		if path == "" {
			dir, err := app.DataDir(cfg, env.lookupEnv)
			if err != nil {
				return err
			}
			path = filepath.Join(dir, "feedback.jsonl")
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("feedback: %w (votes are written there by serve with discord.feedback: true)", err)
	}
	recs, err := bot.ReadFeedback(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("feedback %s: %w", path, err)
	}
	votes := bot.LatestVotes(recs)
	if err := listVotes(env.stdout, votes); err != nil {
		return err
	}
	if *export == "" {
		return nil
	}
	n, skipped, err := exportWrong(*export, votes)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.stderr, "wrote %d candidate questions to %s", n, *export)
	if skipped > 0 {
		fmt.Fprintf(env.stderr, " (%d answers marked wrong had no question recorded)", skipped)
	}
	fmt.Fprintln(env.stderr)
	return nil
}

// listVotes prints one line per current vote.
func listVotes(w io.Writer, votes []bot.FeedbackRecord) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TIME\tVERDICT\tMESSAGE\tUSER\tQUESTION")
	for _, v := range votes {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", v.Time.UTC().Format("2006-01-02 15:04"), safetext.Line(v.Verdict),
			safetext.Line(v.MessageID), safetext.Line(v.UserID), safetext.Line(cmp.Or(v.Question, "(not recorded)")))
	}
	return tw.Flush()
}

// candidate is one exported eval question: the eval file's fields (see
// eval.Question), with answer empty for a person to fill.
type candidate struct {
	ID       string   `json:"id"`
	Lang     string   `json:"lang"`
	Question string   `json:"question"`
	Answer   []string `json:"answer"`
	Note     string   `json:"note"`
}

// exportWrong writes the answers marked wrong, one per message, to path.
func exportWrong(path string, votes []bot.FeedbackRecord) (n, skipped int, err error) {
	var out strings.Builder
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	seen := map[string]bool{}
	for _, v := range votes {
		if v.Verdict != "wrong" || seen[v.MessageID] {
			continue
		}
		seen[v.MessageID] = true
		if strings.TrimSpace(v.Question) == "" {
			skipped++
			continue
		}
		c := candidate{
			ID: "feedback-" + v.MessageID, Lang: questionLang(v.Question), Question: v.Question, Answer: []string{},
			Note: fmt.Sprintf("marked wrong in Discord; the bot answered: %s; cited passages: %s",
				v.Answer, cmp.Or(strings.Join(v.PassageIDs, ", "), "none")),
		}
		if err := enc.Encode(c); err != nil {
			return 0, 0, fmt.Errorf("export: %w", err)
		}
		n++
	}
	if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
		return 0, 0, fmt.Errorf("export: %w", err)
	}
	return n, skipped, nil
}

// questionLang is "zh" for a question with Chinese characters, else "en".
func questionLang(q string) string {
	for _, r := range q {
		if unicode.Is(unicode.Han, r) {
			return "zh"
		}
	}
	return "en"
}

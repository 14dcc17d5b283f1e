package discordtest

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"
)

// Discord's documented message limits, which the fake enforces on every
// route that creates or edits a message.
const (
	maxContent         = 2000 // runes of content
	maxEmbeds          = 10   // embeds per message
	maxEmbedTitle      = 256
	maxEmbedDesc       = 4096
	maxEmbedFields     = 25
	maxFieldName       = 256
	maxFieldValue      = 1024
	maxFooter          = 2048
	maxAuthor          = 256
	maxEmbedsTotal     = 6000 // title, description, fields, footer and author of all embeds
	maxRows            = 5    // action rows per message
	maxButtonsPerRow   = 5
	maxButtonLabel     = 80
	maxCustomID        = 100
	maxThreadName      = 100
	codeInvalidForm    = 50035
	codeAlreadyAcked   = 40060
	codeUnknownInter   = 10062
	codeUnknownWebhook = 10015
)

// apiError is Discord's JSON error body: a code, a message and, for
// 50035 Invalid Form Body, the field errors nested by path.
type apiError struct {
	Code    int            `json:"code"`
	Message string         `json:"message"`
	Errors  map[string]any `json:"errors,omitempty"`
}

// fieldErrors collects field errors keyed by their dotted path
// ("embeds.0.title").
type fieldErrors map[string]string

func (fe fieldErrors) add(path, code, msg string) { fe[path] = code + ": " + msg }

// tooLong records a BASE_TYPE_MAX_LENGTH error when s has more than n
// runes.
func (fe fieldErrors) tooLong(path, s string, n int) {
	if utf8.RuneCountInString(s) > n {
		fe.add(path, "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", n))
	}
}

// body turns the collected errors into Discord's 400 Invalid Form Body,
// or nil when there are none.
func (fe fieldErrors) body() *apiError {
	if len(fe) == 0 {
		return nil
	}
	paths := make([]string, 0, len(fe))
	for p := range fe {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	root := map[string]any{}
	for _, p := range paths {
		node := root
		for _, key := range strings.Split(p, ".") {
			next, ok := node[key].(map[string]any)
			if !ok {
				next = map[string]any{}
				node[key] = next
			}
			node = next
		}
		code, msg, _ := strings.Cut(fe[p], ": ")
		node["_errors"] = []any{map[string]any{"code": code, "message": msg}}
	}
	return &apiError{Code: codeInvalidForm, Message: "Invalid Form Body", Errors: root}
}

// validateMessage checks a message create or edit payload against
// Discord's limits.
func validateMessage(in map[string]any) *apiError {
	fe := fieldErrors{}
	checkMessage(fe, "", in)
	return fe.body()
}

// checkMessage checks the message fields of in, reporting under prefix
// ("" or "data.").
func checkMessage(fe fieldErrors, prefix string, in map[string]any) {
	if c, ok := in["content"].(string); ok {
		fe.tooLong(prefix+"content", c, maxContent)
	}
	checkEmbeds(fe, prefix, in["embeds"])
	checkComponents(fe, prefix, in["components"])
	checkMentions(fe, prefix, in["allowed_mentions"])
}

func checkEmbeds(fe fieldErrors, prefix string, v any) {
	embeds, _ := v.([]any)
	if len(embeds) > maxEmbeds {
		fe.add(prefix+"embeds", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbeds))
		return
	}
	total := 0
	for i, e := range embeds {
		em, _ := e.(map[string]any)
		p := fmt.Sprintf("%sembeds.%d.", prefix, i)
		str := func(key string, n int, m map[string]any) {
			s, _ := m[key].(string)
			fe.tooLong(p+key, s, n)
			total += utf8.RuneCountInString(s)
		}
		str("title", maxEmbedTitle, em)
		str("description", maxEmbedDesc, em)
		if f, ok := em["footer"].(map[string]any); ok {
			s, _ := f["text"].(string)
			fe.tooLong(p+"footer.text", s, maxFooter)
			total += utf8.RuneCountInString(s)
		}
		if a, ok := em["author"].(map[string]any); ok {
			s, _ := a["name"].(string)
			fe.tooLong(p+"author.name", s, maxAuthor)
			total += utf8.RuneCountInString(s)
		}
		fields, _ := em["fields"].([]any)
		if len(fields) > maxEmbedFields {
			fe.add(p+"fields", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxEmbedFields))
		}
		for j, f := range fields {
			fm, _ := f.(map[string]any)
			name, _ := fm["name"].(string)
			value, _ := fm["value"].(string)
			fe.tooLong(fmt.Sprintf("%sfields.%d.name", p, j), name, maxFieldName)
			fe.tooLong(fmt.Sprintf("%sfields.%d.value", p, j), value, maxFieldValue)
			if strings.TrimSpace(name) == "" {
				fe.add(fmt.Sprintf("%sfields.%d.name", p, j), "BASE_TYPE_REQUIRED", "This field is required")
			}
			if strings.TrimSpace(value) == "" {
				fe.add(fmt.Sprintf("%sfields.%d.value", p, j), "BASE_TYPE_REQUIRED", "This field is required")
			}
			total += utf8.RuneCountInString(name) + utf8.RuneCountInString(value)
		}
	}
	if total > maxEmbedsTotal {
		fe.add(prefix+"embeds", "MAX_EMBED_SIZE_EXCEEDED", fmt.Sprintf("Embed size exceeds maximum size of %d", maxEmbedsTotal))
	}
}

func checkComponents(fe fieldErrors, prefix string, v any) {
	rows, _ := v.([]any)
	if len(rows) > maxRows {
		fe.add(prefix+"components", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxRows))
	}
	seen := map[string]bool{}
	for i, r := range rows {
		row, _ := r.(map[string]any)
		p := fmt.Sprintf("%scomponents.%d.", prefix, i)
		if t, _ := row["type"].(float64); t != 1 {
			fe.add(p+"type", "COMPONENT_LAYOUT_WIDTH_EXCEEDED", "Top-level components must be action rows.")
			continue
		}
		buttons, _ := row["components"].([]any)
		if len(buttons) > maxButtonsPerRow {
			fe.add(p+"components", "BASE_TYPE_MAX_LENGTH", fmt.Sprintf("Must be %d or fewer in length.", maxButtonsPerRow))
		}
		for j, b := range buttons {
			bm, _ := b.(map[string]any)
			bp := fmt.Sprintf("%scomponents.%d.", p, j)
			label, _ := bm["label"].(string)
			fe.tooLong(bp+"label", label, maxButtonLabel)
			id, hasID := bm["custom_id"].(string)
			style, _ := bm["style"].(float64)
			switch {
			case style == 5 || style == 6: // link and premium buttons have no custom_id
			case !hasID || id == "":
				fe.add(bp+"custom_id", "BASE_TYPE_REQUIRED", "This field is required")
			case utf8.RuneCountInString(id) > maxCustomID:
				fe.tooLong(bp+"custom_id", id, maxCustomID)
			case seen[id]:
				fe.add(bp+"custom_id", "COMPONENT_CUSTOM_ID_DUPLICATED", "Component custom id cannot be duplicated")
			}
			seen[id] = true
		}
	}
}

func checkMentions(fe fieldErrors, prefix string, v any) {
	am, ok := v.(map[string]any)
	if !ok {
		return
	}
	parse, _ := am["parse"].([]any)
	for _, kind := range []string{"users", "roles"} {
		list, _ := am[kind].([]any)
		if len(list) == 0 {
			continue
		}
		for _, p := range parse {
			if p == kind {
				fe.add(prefix+"allowed_mentions", "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
					fmt.Sprintf("parse:[%q] and %s: [ids...] are mutually exclusive.", kind, kind))
			}
		}
	}
}

// emptyMessage is Discord's answer to a new message with nothing to show:
// no content, embeds, components, files or stickers.
var emptyMessage = &apiError{Code: 50006, Message: "Cannot send an empty message"}

// isEmpty reports whether a new message would be empty.
func isEmpty(in map[string]any, files []File) bool {
	if len(files) > 0 {
		return false
	}
	if c, _ := in["content"].(string); strings.TrimSpace(c) != "" {
		return false
	}
	for _, k := range []string{"embeds", "components", "sticker_ids", "attachments"} {
		if l, _ := in[k].([]any); len(l) > 0 {
			return false
		}
	}
	_, poll := in["poll"].(map[string]any)
	return !poll
}

// validateThread checks a thread-start payload.
func validateThread(in map[string]any) *apiError {
	fe := fieldErrors{}
	name, _ := in["name"].(string)
	if n := utf8.RuneCountInString(name); n < 1 || n > maxThreadName {
		fe.add("name", "BASE_TYPE_BAD_LENGTH", fmt.Sprintf("Must be between 1 and %d in length.", maxThreadName))
	}
	return fe.body()
}

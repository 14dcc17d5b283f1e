package discordtest

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Discord's CDN: a file a user attaches to a slash command's attachment
// option is uploaded to the CDN before the interaction is sent; the
// interaction's option holds the attachment's id and data.resolved.attachments
// its filename, size, content type and a signed URL
// (https://cdn.discordapp.com/ephemeral-attachments/…?ex=…&is=…&hm=…) that
// expires. The fake issues such URLs for the files of CommandWithFile and
// serves them, through Client, to GET and HEAD requests only; any other
// path, a URL whose signature does not match, or one past its expiry (by
// the fake's Clock) is 404, as on Discord's CDN.
const (
	// CDNHost is the host of Discord's CDN, where attachment URLs point.
	CDNHost = "cdn.discordapp.com"
	// MediaHost is the host of Discord's media proxy (an attachment's
	// proxy_url).
	MediaHost = "media.discordapp.net"
	// cdnLife is how long a signed attachment URL is served.
	cdnLife = 24 * time.Hour
	// cdnPrefix is the path below which the CDN serves slash-command
	// attachments.
	cdnPrefix = "/ephemeral-attachments/"
)

// cdnSecret signs the fake's CDN URLs.
var cdnSecret = []byte("discordtest-cdn")

// Upload is a file a user attaches to a slash command.
type Upload struct {
	// Option is the name of the command's attachment option.
	Option string
	// Name is the file name as the user's computer had it.
	Name string
	// ContentType is what Discord guessed from the name; it may be empty.
	ContentType string
	Data        []byte
}

// Attachment is what the fake issued for an Upload: the attachment id,
// its signed CDN URL and its size in bytes (that of the data served).
type Attachment struct {
	ID   string
	URL  string
	Size int
}

// CDNRequest is one request the fake's CDN received.
type CDNRequest struct {
	Method, Path string
	// Status is the status the CDN answered.
	Status int
	// Authorized is set when the request carried an Authorization header
	// (a bot token has no business on the CDN).
	Authorized bool
}

// cdnStore is the fake CDN's state; the zero value is empty.
type cdnStore struct {
	mu    sync.Mutex
	files map[string]cdnFile // path -> file
	reqs  []CDNRequest
}

type cdnFile struct {
	data        []byte
	contentType string
	expires     time.Time
}

// CommandWithFile dispatches slash command c with u in its attachment
// option, as Discord does: the file goes to the CDN first, then the
// interaction carries the option (type 11, the attachment id as value)
// and the attachment in data.resolved.attachments. The command must have
// been registered with an attachment option of that name (Discord offers
// no other way to attach a file to a command); otherwise it is an error.
func (s *Server) CommandWithFile(ctx context.Context, c Command, u Upload) (Interaction, Attachment, error) {
	if err := s.checkAttachmentOption(c.Name, u.Option); err != nil {
		return Interaction{}, Attachment{}, err
	}
	if u.Name == "" || strings.ContainsAny(u.Name, "/\\") {
		return Interaction{}, Attachment{}, fmt.Errorf("discordtest: upload file name %q: want a base name", u.Name)
	}
	s.mu.Lock()
	channelPart, id := s.newID(), s.newID()
	now := s.clock.Now()
	s.mu.Unlock()
	path := cdnPrefix + channelPart + "/" + id + "/" + url.PathEscape(u.Name)
	expires := now.Add(cdnLife)
	q := url.Values{}
	q.Set("ex", strconv.FormatInt(expires.Unix(), 16))
	q.Set("is", strconv.FormatInt(now.Unix(), 16))
	q.Set("hm", cdnSign(path, q.Get("ex"), q.Get("is")))
	s.cdn.mu.Lock()
	if s.cdn.files == nil {
		s.cdn.files = map[string]cdnFile{}
	}
	s.cdn.files[path] = cdnFile{data: append([]byte(nil), u.Data...), contentType: u.ContentType, expires: expires}
	s.cdn.mu.Unlock()
	att := Attachment{ID: id, URL: "https://" + CDNHost + path + "?" + q.Encode(), Size: len(u.Data)}
	resolved := map[string]any{
		"id": id, "filename": u.Name, "size": att.Size, "url": att.URL,
		"proxy_url": "https://" + MediaHost + path + "?" + q.Encode(), "ephemeral": true,
	}
	if u.ContentType != "" {
		resolved["content_type"] = u.ContentType
	}
	var opts []map[string]any
	for k, v := range c.Options {
		opts = append(opts, map[string]any{"name": k, "type": 3, "value": v})
	}
	for k, v := range c.Bools {
		opts = append(opts, map[string]any{"name": k, "type": 5, "value": v})
	}
	opts = append(opts, map[string]any{"name": u.Option, "type": 11, "value": id})
	data := map[string]any{
		"id": "800000000000000001", "name": c.Name, "type": 1, "options": opts,
		"resolved": map[string]any{"attachments": map[string]any{id: resolved}},
	}
	in, err := s.interaction(ctx, 2, c.GuildID, c.ChannelID, c.UserID, c.Roles, data, nil)
	return in, att, err
}

// checkAttachmentOption reports an error unless the commands last
// registered include command name with an attachment option called
// option.
func (s *Server) checkAttachmentOption(name, option string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.reqs) - 1; i >= 0; i-- {
		r := s.reqs[i]
		if r.Method != http.MethodPut || !strings.HasSuffix(r.Path, "/commands") || r.Status != http.StatusOK {
			continue
		}
		var cmds []struct {
			Name    string `json:"name"`
			Options []struct {
				Name string `json:"name"`
				Type int    `json:"type"`
			} `json:"options"`
		}
		if err := json.Unmarshal(r.Body, &cmds); err != nil {
			return fmt.Errorf("discordtest: registered commands: %w", err)
		}
		for _, c := range cmds {
			if c.Name != name {
				continue
			}
			for _, o := range c.Options {
				if o.Name == option && o.Type == 11 {
					return nil
				}
			}
			return fmt.Errorf("discordtest: command %s has no attachment option %q", name, option)
		}
		return fmt.Errorf("discordtest: no command %s registered", name)
	}
	return fmt.Errorf("discordtest: no commands registered")
}

// cdnSign is the signature (hm) of a CDN path with its ex and is.
func cdnSign(path, ex, is string) string {
	m := hmac.New(sha256.New, cdnSecret)
	m.Write([]byte(path + "\x00" + ex + "\x00" + is))
	return hex.EncodeToString(m.Sum(nil))
}

// serveCDN serves the attachments the fake issued.
func (s *Server) serveCDN(w http.ResponseWriter, r *http.Request) {
	status := s.cdnAnswer(w, r)
	s.cdn.mu.Lock()
	s.cdn.reqs = append(s.cdn.reqs, CDNRequest{Method: r.Method, Path: r.URL.Path, Status: status, Authorized: r.Header.Get("Authorization") != ""})
	s.cdn.mu.Unlock()
	s.mu.Lock()
	s.notify()
	s.mu.Unlock()
}

// cdnAnswer writes the CDN's answer to r and returns its status.
func (s *Server) cdnAnswer(w http.ResponseWriter, r *http.Request) int {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return http.StatusMethodNotAllowed
	}
	path := r.URL.EscapedPath()
	q := r.URL.Query()
	s.cdn.mu.Lock()
	f, ok := s.cdn.files[path]
	s.cdn.mu.Unlock()
	sig := cdnSign(path, q.Get("ex"), q.Get("is"))
	ex, err := strconv.ParseInt(q.Get("ex"), 16, 64)
	if !ok || err != nil || !hmac.Equal([]byte(sig), []byte(q.Get("hm"))) || ex != f.expires.Unix() || !s.clock.Now().Before(f.expires) {
		http.Error(w, "This content is no longer available.", http.StatusNotFound)
		return http.StatusNotFound
	}
	ct := f.contentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(f.data)
	}
	return http.StatusOK
}

// CDNRequests returns the requests the fake's CDN received.
func (s *Server) CDNRequests() []CDNRequest {
	s.cdn.mu.Lock()
	defer s.cdn.mu.Unlock()
	return append([]CDNRequest(nil), s.cdn.reqs...)
}

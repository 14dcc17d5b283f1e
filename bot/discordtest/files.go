package discordtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"regexp"
	"strings"
)

// Discord's message attachments: a message with files is sent as
// multipart/form-data with the JSON in a part named payload_json and each
// file in a part named files[n] with its filename; an embed shows an
// attached image by the URL "attachment://FILENAME". The fake checks
// both, stores the files with the message and, as Discord does, answers
// with an attachments list and the embed's image URL resolved to the
// attachment's.

// File is one attached file as the fake received it.
type File struct {
	// Field is the form field ("files[0]"), Name the filename.
	Field, Name string
	// ContentType is the part's Content-Type.
	ContentType string
	Data        []byte
}

// filesField is the form-field name Discord wants for files.
var filesField = regexp.MustCompile(`^files\[\d+\]$`)

// readMultipart reads a multipart/form-data body into its files and its
// payload_json; any other body is returned as it is.
func readMultipart(contentType string, body []byte) ([]File, []byte, error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") {
		return nil, body, nil
	}
	if mt != "multipart/form-data" {
		return nil, nil, fmt.Errorf("content type %s: want multipart/form-data", mt)
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	var files []File
	var payload []byte
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("multipart body: %w", err)
		}
		data, err := io.ReadAll(p)
		if err != nil {
			return nil, nil, fmt.Errorf("multipart part %s: %w", p.FormName(), err)
		}
		switch name := p.FormName(); {
		case name == "payload_json":
			if !json.Valid(data) {
				return nil, nil, errors.New("payload_json is not JSON")
			}
			payload = data
		case filesField.MatchString(name):
			if p.FileName() == "" {
				return nil, nil, fmt.Errorf("part %s has no filename", name)
			}
			files = append(files, File{Field: name, Name: p.FileName(), ContentType: p.Header.Get("Content-Type"), Data: data})
		default:
			return nil, nil, fmt.Errorf("unexpected form field %q", name)
		}
	}
	if payload == nil {
		return nil, nil, errors.New("multipart body without payload_json")
	}
	return files, payload, nil
}

// storeWithFiles stores a message as store does, with its files as
// attachments: an embed image "attachment://NAME" must name one of them
// (Discord rejects the message otherwise) and is answered with the
// attachment's URL. s.mu is held.
func (s *Server) storeWithFiles(id, channelID string, fields map[string]any, files []File) (int, any) {
	if len(files) == 0 {
		return 200, s.store(id, channelID, fields)
	}
	var atts []any
	urls := map[string]string{}
	for _, f := range files {
		aid := s.newID()
		u := fmt.Sprintf("%s/attachments/%s/%s/%s", s.srv.URL, channelID, aid, f.Name)
		urls[f.Name] = u
		atts = append(atts, map[string]any{"id": aid, "filename": f.Name, "size": len(f.Data), "url": u, "proxy_url": u, "content_type": f.ContentType})
	}
	if embeds, ok := fields["embeds"].([]any); ok {
		for _, e := range embeds {
			em, _ := e.(map[string]any)
			img, _ := em["image"].(map[string]any)
			ref, _ := img["url"].(string)
			if name, ok := strings.CutPrefix(ref, "attachment://"); ok {
				u, found := urls[name]
				if !found {
					return 400, map[string]any{"message": "Invalid Form Body: embed image references no attached file " + name, "code": 50035}
				}
				img["url"] = u
			}
		}
	}
	s.files[id] = files
	out := s.store(id, channelID, fields)
	s.messages[id]["attachments"] = atts
	out["attachments"] = atts
	return 200, out
}

// Files returns the files attached to a message, as the fake received
// them.
func (s *Server) Files(messageID string) []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]File(nil), s.files[messageID]...)
}

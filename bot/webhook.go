package bot

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// editOriginal is discordgo's InteractionResponseEdit with a rate-limit
// bucket of the interaction's own. discordgo files every interaction's
// edits under one bucket and holds it for each request's round trip, so
// edits of all answers went one at a time; Discord limits the webhook
// routes per webhook id and token, that is per interaction. The bucket is
// named by the interaction's id, not its token.
func (b *Bot) editOriginal(i *discordgo.Interaction, e *discordgo.WebhookEdit, opts ...discordgo.RequestOption) (*discordgo.Message, error) {
	uri := discordgo.EndpointWebhookMessage(i.AppID, i.Token, "@original")
	bucket := "interaction:" + i.ID
	var resp []byte
	var err error
	if len(e.Files) > 0 {
		ct, body, merr := discordgo.MultipartBodyWithJSON(e, e.Files)
		if merr != nil {
			return nil, merr
		}
		resp, err = b.s.RequestRaw("PATCH", uri, ct, body, bucket, 0, opts...)
	} else {
		resp, err = b.s.RequestWithBucketID("PATCH", uri, e, bucket, opts...)
	}
	if err != nil {
		return nil, redactURL(err)
	}
	var m discordgo.Message
	if err := discordgo.Unmarshal(resp, &m); err != nil {
		return nil, fmt.Errorf("%w: %w", discordgo.ErrJSONUnmarshal, err)
	}
	return &m, nil
}

// redactURL removes the URL, which holds the interaction's token, from a
// transport error's message (the http client puts it there).
func redactURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			_, name, _ := routeOf(ue.Op, u.Path)
			ue.URL = name[strings.IndexByte(name, ' ')+1:] // the path; Op has the method
		} else {
			ue.URL = "(url withheld)"
		}
	}
	return err
}

// callback is discordgo's InteractionRespond with the interaction's token
// kept out of the error: the callback URL holds it.
func (b *Bot) callback(i *discordgo.Interaction, r *discordgo.InteractionResponse, opts ...discordgo.RequestOption) error {
	if err := b.s.InteractionRespond(i, r, opts...); err != nil {
		return redactURL(err)
	}
	return nil
}

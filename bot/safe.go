package bot

import (
	"github.com/bwmarrin/discordgo"

	"github.com/reportbot/reportbot/internal/safetext"
)

// safeMessage returns m fit to post: its content, embeds and button labels
// without escape sequences, controls or bidirectional overrides, the
// single-line fields (titles, footers, field names, labels) on one line.
// Every message the bot sends passes through it: report titles, quotes and
// the model's words are not the bot's to trust. m is not changed.
func safeMessage(m outMessage) outMessage {
	m.Content = safetext.Text(m.Content)
	m.Embeds = safeEmbeds(m.Embeds)
	m.Components = safeComponents(m.Components)
	return m
}

// safeSource returns s with its title, section headings and quote on one
// line each (safetext.Line), and its text without controls: they are
// rendered inside multi-line embeds, where a line break in a title would
// forge a source line of its own.
func safeSource(s Source) Source {
	s.ReportTitle, s.Quote, s.Text = safetext.Line(s.ReportTitle), safetext.Line(s.Quote), safetext.Text(s.Text)
	if s.Section != nil {
		sec := make([]string, len(s.Section))
		for i, h := range s.Section {
			sec[i] = safetext.Line(h)
		}
		s.Section = sec
	}
	return s
}

// safeEmbeds returns copies of es made safe as safeMessage says; nil stays
// nil and empty stays empty (both mean something to an edit).
func safeEmbeds(es []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	if es == nil {
		return nil
	}
	out := make([]*discordgo.MessageEmbed, len(es))
	for i, e := range es {
		if e == nil {
			continue
		}
		c := *e
		c.Title, c.Description = safetext.Line(e.Title), safetext.Text(e.Description)
		if e.Footer != nil {
			f := *e.Footer
			f.Text = safetext.Line(f.Text)
			c.Footer = &f
		}
		if e.Author != nil {
			a := *e.Author
			a.Name = safetext.Line(a.Name)
			c.Author = &a
		}
		if e.Fields != nil {
			c.Fields = make([]*discordgo.MessageEmbedField, len(e.Fields))
			for j, f := range e.Fields {
				if f == nil {
					continue
				}
				g := *f
				g.Name, g.Value = safetext.Line(f.Name), safetext.Text(f.Value)
				c.Fields[j] = &g
			}
		}
		out[i] = &c
	}
	return out
}

// safeComponents returns cs with the labels of its buttons on one line and
// without controls.
func safeComponents(cs []discordgo.MessageComponent) []discordgo.MessageComponent {
	if cs == nil {
		return nil
	}
	out := make([]discordgo.MessageComponent, len(cs))
	for i, c := range cs {
		switch v := c.(type) {
		case discordgo.ActionsRow:
			v.Components = safeComponents(v.Components)
			out[i] = v
		case *discordgo.ActionsRow:
			r := *v
			r.Components = safeComponents(v.Components)
			out[i] = &r
		case discordgo.Button:
			v.Label = safetext.Line(v.Label)
			out[i] = v
		case *discordgo.Button:
			b := *v
			b.Label = safetext.Line(v.Label)
			out[i] = &b
		default:
			out[i] = c
		}
	}
	return out
}

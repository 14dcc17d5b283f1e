package bot

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"
)

// The DM policy: with AnswerDMs, a direct message (or /ask in one) is
// answered only for a member of an allowed guild (AllowedGuilds; when it
// is empty, one of the guilds the bot is in, the first maxDMGuilds by id)
// who, when AllowedRoles is set, holds one of those roles there.
// AllowedChannels restricts where in servers the bot answers; DMs are
// governed by AnswerDMs and this membership check instead. Membership is
// asked of Discord (Get Guild Member, which needs no privileged intent)
// and remembered for dmMemberTTL.
const (
	// maxDMGuilds bounds the guilds checked for a DM's sender when
	// AllowedGuilds is empty; a bot in more guilds should list them.
	maxDMGuilds = 10
	// dmCheckTimeout bounds the whole membership check, which for /ask
	// comes before the acknowledgement Discord wants within 3 s.
	dmCheckTimeout = 2 * time.Second
	// dmMemberTTL is how long a membership answer is remembered.
	dmMemberTTL = 10 * time.Minute
	// maxDMMembers bounds the remembered answers; when full, all are
	// forgotten.
	maxDMMembers = 10000
)

// DM refusals.
const (
	msgDMNotMember = "reportbot answers direct messages only for members of the servers it serves. Ask in a server channel."
	msgDMNoRole    = "reportbot answers direct messages only for members with certain roles in its servers. Ask in a server channel."
	msgDMNoCheck   = "reportbot cannot check your server membership right now. Please ask again in a minute, or ask in a server channel."
)

// dmVerdict is a remembered membership check.
type dmVerdict struct {
	why string // empty: allowed
	at  time.Time
}

// dmMembers remembers membership checks per user; concurrent checks of
// one user (a burst of DMs) share one round of calls.
type dmMembers struct {
	mu       sync.Mutex
	m        map[string]dmVerdict
	inFlight map[string]*dmCheck
}

// dmCheck is a membership check in progress; done is closed when why and
// err are set.
type dmCheck struct {
	done chan struct{}
	why  string
	err  error
}

// check runs f for userID, or waits for the run already in progress.
func (d *dmMembers) check(userID string, f func() (string, error)) (string, error) {
	d.mu.Lock()
	if c, ok := d.inFlight[userID]; ok {
		d.mu.Unlock()
		<-c.done
		return c.why, c.err
	}
	c := &dmCheck{done: make(chan struct{})}
	if d.inFlight == nil {
		d.inFlight = map[string]*dmCheck{}
	}
	d.inFlight[userID] = c
	d.mu.Unlock()
	defer func() {
		d.mu.Lock()
		delete(d.inFlight, userID)
		d.mu.Unlock()
		close(c.done)
	}()
	c.why, c.err = f()
	return c.why, c.err
}

// dmPermit applies the DM policy to userID: "" when allowed, else the
// refusal.
func (b *Bot) dmPermit(userID string) string {
	now := time.Now()
	b.dms.mu.Lock()
	v, ok := b.dms.m[userID]
	b.dms.mu.Unlock()
	if ok && now.Sub(v.at) < dmMemberTTL {
		return v.why
	}
	why, err := b.dms.check(userID, func() (string, error) { return b.checkMember(userID) })
	if err != nil {
		b.log.Warn("cannot check a DM sender's membership", "user", userID, "err", err)
		return msgDMNoCheck
	}
	b.dms.mu.Lock()
	defer b.dms.mu.Unlock()
	if b.dms.m == nil || len(b.dms.m) >= maxDMMembers {
		b.dms.m = map[string]dmVerdict{}
	}
	b.dms.m[userID] = dmVerdict{why: why, at: now}
	return why
}

// dmGuilds are the guilds whose members may ask in DMs.
func (b *Bot) dmGuilds() []string {
	if len(b.opt.AllowedGuilds) > 0 {
		return b.opt.AllowedGuilds
	}
	var ids []string
	if st := b.s.State; st != nil {
		st.RLock()
		for _, g := range st.Guilds {
			ids = append(ids, g.ID)
		}
		st.RUnlock()
	}
	slices.Sort(ids)
	return ids[:min(len(ids), maxDMGuilds)]
}

// checkMember asks Discord whether userID is a member of a DM guild (with
// an allowed role, when roles are listed): "" when so, else the refusal.
// err means no guild could answer.
func (b *Bot) checkMember(userID string) (string, error) {
	guilds := b.dmGuilds()
	ctx, cancel := context.WithTimeout(b.work, dmCheckTimeout)
	defer cancel()
	type result struct {
		m   *discordgo.Member
		err error
	}
	results := make(chan result, len(guilds))
	for _, g := range guilds {
		go func() {
			m, err := b.s.GuildMember(g, userID, discordgo.WithContext(ctx))
			results <- result{m, err}
		}()
	}
	why := msgDMNotMember
	var errs []error
	for range guilds {
		r := <-results
		switch {
		case r.err == nil && r.m != nil:
			if len(b.opt.AllowedRoles) == 0 || hasAny(r.m.Roles, b.opt.AllowedRoles) {
				return "", nil
			}
			why = msgDMNoRole
		case notMember(r.err):
		default:
			errs = append(errs, r.err)
		}
	}
	if why == msgDMNotMember && len(errs) > 0 {
		return "", errors.Join(errs...)
	}
	return why, nil
}

// notMember reports whether err is Discord's answer that the user is not
// a member (404, code 10007 Unknown Member).
func notMember(err error) bool {
	var re *discordgo.RESTError
	if !errors.As(err, &re) {
		return false
	}
	return (re.Message != nil && re.Message.Code == discordgo.ErrCodeUnknownMember) ||
		(re.Response != nil && re.Response.StatusCode == http.StatusNotFound)
}

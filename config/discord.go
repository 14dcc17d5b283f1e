package config

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Discord is the discord: section, used by `reportbot serve`. Without the
// section every key has its default (DefaultDiscord).
type Discord struct {
	// TokenEnv names the environment variable holding the bot token. The
	// token itself never appears in the config or the logs.
	TokenEnv string `yaml:"token_env"`
	// ApplicationID registers the slash commands; empty: from READY.
	ApplicationID string `yaml:"application_id"`
	// GuildIDs get the commands registered per guild (instant); empty:
	// globally.
	GuildIDs       []string `yaml:"guild_ids"`
	AnswerMentions bool     `yaml:"answer_mentions"`
	AnswerDMs      bool     `yaml:"answer_dms"`
	// ThreadReplies answers every message in the bot's threads; it needs
	// the privileged Message Content intent.
	ThreadReplies   bool     `yaml:"thread_replies"`
	AllowedGuilds   []string `yaml:"allowed_guilds"`
	AllowedChannels []string `yaml:"allowed_channels"`
	AllowedRoles    []string `yaml:"allowed_roles"`
	AdminRoles      []string `yaml:"admin_roles"`
	// RateLimit is questions per user per minute; 0: unlimited.
	RateLimit     int `yaml:"rate_limit"`
	MaxConcurrent int `yaml:"max_concurrent"`
	// QueueSize is how many questions wait for an answer slot; 0: no queue.
	QueueSize int `yaml:"queue_size"`
	// Feedback shows the helpful/wrong buttons; FeedbackFile is where
	// votes go (default: feedback.jsonl in the data directory).
	Feedback     bool   `yaml:"feedback"`
	FeedbackFile string `yaml:"feedback_file"`
	// Remember keeps the threads' conversations and recent answers (for
	// feedback and Why?) across restarts in MemoryFile (default:
	// memory-shard<N>.jsonl in the data directory, one per shard).
	Remember      bool          `yaml:"remember"`
	MemoryFile    string        `yaml:"memory_file"`
	ShardID       int           `yaml:"shard_id"`
	ShardCount    int           `yaml:"shard_count"`
	EditInterval  time.Duration `yaml:"edit_interval"`
	AnswerTimeout time.Duration `yaml:"answer_timeout"`
	// QueueWait is the longest a question waits for an answer slot. With
	// AnswerTimeout and TokenMargin it must fit in Discord's 15 minutes
	// for answering an interaction.
	QueueWait time.Duration `yaml:"queue_wait"`
	// AutoAnswerChannels are text channels where every new post is
	// answered, in a thread, without a mention; AutoAnswerForums are forum
	// channels where every new post (a thread's starter message) is. Both
	// need the privileged Message Content intent. Empty: off.
	AutoAnswerChannels []string      `yaml:"auto_answer_channels"`
	AutoAnswerForums   []string      `yaml:"auto_answer_forums"`
	ShutdownGrace      time.Duration `yaml:"shutdown_grace"`
	// APIURL sends REST calls to this base URL instead of
	// https://discord.com (a rate-limit proxy; tests use a fake).
	APIURL string `yaml:"api_url"`
}

// DefaultDiscord is the discord: section's defaults.
func DefaultDiscord() Discord {
	return Discord{
		TokenEnv:       "DISCORD_BOT_TOKEN",
		AnswerMentions: true,
		RateLimit:      5,
		MaxConcurrent:  4,
		QueueSize:      32,
		Feedback:       true,
		Remember:       true,
		ShardCount:     1,
		EditInterval:   time.Second,
		AnswerTimeout:  time.Minute,
		QueueWait:      5 * time.Minute,
		ShutdownGrace:  10 * time.Second,
	}
}

// DiscordOrDefault returns the discord section, or its defaults when the
// file has none.
func (c Config) DiscordOrDefault() Discord {
	if c.Discord == nil {
		return DefaultDiscord()
	}
	return *c.Discord
}

// UnmarshalYAML decodes the section over the defaults, strictly: an
// unknown key or a value of the wrong kind is an error that names the key
// and the fix, as everywhere else in the config.
func (d *Discord) UnmarshalYAML(node *yaml.Node) error {
	*d = DefaultDiscord()
	return decodeNode(node, "discord", reflect.ValueOf(d).Elem(), reflect.ValueOf(DefaultDiscord()))
}

// Token returns the bot token from the environment variable TokenEnv
// names, looked up with lookup (os.LookupEnv), without surrounding space or
// a pasted "Bot " prefix. An unset or empty variable is an error that says
// how to fix it; the token never appears in messages.
func (d Discord) Token(lookup func(string) (string, bool)) (string, error) {
	v, _ := lookup(d.TokenEnv)
	token := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), "Bot "))
	if token == "" {
		return "", fmt.Errorf("discord.token_env: the environment variable %s is empty: set it to the bot token (developer portal → your application → Bot → Reset Token)", d.TokenEnv)
	}
	return token, nil
}

// Discord's interaction tokens work for InteractionTokenLife; an /ask's
// queue wait and answer must end TokenMargin before, to post the answer
// (bot.tokenDeliver is the same figure).
const (
	InteractionTokenLife = 15 * time.Minute
	TokenMargin          = time.Minute
)

var (
	envNameRE   = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	snowflakeRE = regexp.MustCompile(`^[0-9]{15,21}$`)
)

// validate checks the section; every message names the key and the fix.
func (d Discord) validate() error {
	return errors.Join(d.validateTokenEnv(), d.validateIDs(), d.validateLimits(), d.validateShards(), d.validateDurations(), d.validateAPIURL())
}

func (d Discord) validateTokenEnv() error {
	switch {
	case d.TokenEnv == "":
		return errors.New("discord.token_env is empty: name the environment variable that holds the bot token (default DISCORD_BOT_TOKEN)")
	case !envNameRE.MatchString(d.TokenEnv):
		// Do not echo it: it may be a pasted token.
		return errors.New("discord.token_env is not an environment variable name: put the token in an environment variable (for example DISCORD_BOT_TOKEN) and write that variable's name here, never the token")
	}
	return nil
}

// validateIDs checks that every id key holds Discord snowflakes.
func (d Discord) validateIDs() error {
	var errs []error
	check := func(key string, ids []string) {
		for _, id := range ids {
			if !snowflakeRE.MatchString(id) {
				errs = append(errs, fmt.Errorf("discord.%s has %q: use Discord ids (15 to 21 digits; enable Developer Mode in Discord, then right-click → Copy ID)", key, id))
			}
		}
	}
	if d.ApplicationID != "" {
		check("application_id", []string{d.ApplicationID})
	}
	check("guild_ids", d.GuildIDs)
	check("allowed_guilds", d.AllowedGuilds)
	check("allowed_channels", d.AllowedChannels)
	check("allowed_roles", d.AllowedRoles)
	check("admin_roles", d.AdminRoles)
	check("auto_answer_channels", d.AutoAnswerChannels)
	check("auto_answer_forums", d.AutoAnswerForums)
	return errors.Join(errs...)
}

func (d Discord) validateLimits() error {
	var errs []error
	if d.RateLimit < 0 || d.RateLimit > 600 {
		errs = append(errs, fmt.Errorf("discord.rate_limit is %d: use questions per user per minute from 0 (unlimited) to 600 (default 5)", d.RateLimit))
	}
	if d.MaxConcurrent < 1 || d.MaxConcurrent > 256 {
		errs = append(errs, fmt.Errorf("discord.max_concurrent is %d: use a value from 1 to 256 (default 4)", d.MaxConcurrent))
	}
	if d.QueueSize < 0 || d.QueueSize > 10000 {
		errs = append(errs, fmt.Errorf("discord.queue_size is %d: use a value from 0 to 10000 (default 32; 0 means no queue)", d.QueueSize))
	}
	return errors.Join(errs...)
}

func (d Discord) validateShards() error {
	if d.ShardCount < 1 {
		return fmt.Errorf("discord.shard_count is %d: use 1 (no sharding) or the number of shards", d.ShardCount)
	}
	if d.ShardID < 0 || d.ShardID >= d.ShardCount {
		return fmt.Errorf("discord.shard_id is %d: use a value from 0 to discord.shard_count-1 (%d)", d.ShardID, d.ShardCount-1)
	}
	return nil
}

func (d Discord) validateDurations() error {
	var errs []error
	if d.EditInterval < 250*time.Millisecond || d.EditInterval > 10*time.Second {
		errs = append(errs, fmt.Errorf("discord.edit_interval is %s: use a duration from 250ms to 10s (default 1s); Discord rate-limits faster edits", d.EditInterval))
	}
	if d.AnswerTimeout < time.Second || d.AnswerTimeout > 15*time.Minute {
		errs = append(errs, fmt.Errorf("discord.answer_timeout is %s: use a duration from 1s to 15m (default 1m); interaction tokens expire after 15 minutes", d.AnswerTimeout))
	}
	if d.QueueWait < time.Second || d.QueueWait > 13*time.Minute {
		errs = append(errs, fmt.Errorf("discord.queue_wait is %s: use a duration from 1s to 13m (default 5m)", d.QueueWait))
	}
	if sum := d.QueueWait + d.AnswerTimeout; sum+TokenMargin > InteractionTokenLife {
		errs = append(errs, fmt.Errorf("discord.queue_wait (%s) + discord.answer_timeout (%s) is %s: an /ask must be answered within "+
			"Discord's %s interaction token, with %s left to post the answer, so the sum must be at most %s: lower queue_wait or answer_timeout",
			d.QueueWait, d.AnswerTimeout, sum, InteractionTokenLife, TokenMargin, InteractionTokenLife-TokenMargin))
	}
	if d.ShutdownGrace < 0 || d.ShutdownGrace > 5*time.Minute {
		errs = append(errs, fmt.Errorf("discord.shutdown_grace is %s: use a duration from 0s to 5m (default 10s)", d.ShutdownGrace))
	}
	return errors.Join(errs...)
}

func (d Discord) validateAPIURL() error {
	if d.APIURL == "" {
		return nil
	}
	u, err := url.Parse(d.APIURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || strings.Trim(u.Path, "/") != "" {
		return fmt.Errorf("discord.api_url is %q: use an http(s) base URL such as http://127.0.0.1:8080, or leave it empty for https://discord.com", d.APIURL)
	}
	return nil
}

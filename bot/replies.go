package bot

// Context from replies: a message that replies (Discord's
// message_reference) to one of the bot's answers outside the answer's
// thread carries that conversation, as llmcord follows reply chains. The
// chain is followed through the bot's remembered answers only (the
// answers memory, kept across restarts with MemoryFile): each answer
// records the earlier answer its question replied to. A reply to anything
// else (a person's message, a forgotten answer) carries no history.

// maxReplyDepth bounds the turns a reply chain contributes: the same as a
// thread's history (maxHistoryTurns), so that a conversation weighs the
// same wherever it is held.
const maxReplyDepth = maxHistoryTurns

// replyHistory returns the conversation ending with the bot's answer
// messageID, oldest turn first: at most maxReplyDepth turns, none when
// messageID is not a remembered answer.
func (b *Bot) replyHistory(messageID string) []Turn {
	var turns []Turn
	seen := map[string]bool{}
	for id := messageID; id != "" && !seen[id] && len(turns) < maxReplyDepth; {
		seen[id] = true
		r, ok := b.mem.get(id)
		if !ok {
			break
		}
		turns = append(turns, Turn{Question: r.question, Answer: r.answer})
		id = r.replyTo
	}
	for i, j := 0, len(turns)-1; i < j; i, j = i+1, j-1 {
		turns[i], turns[j] = turns[j], turns[i]
	}
	return turns
}

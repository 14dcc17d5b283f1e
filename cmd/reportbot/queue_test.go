package main

import "testing"

// TestQueueSizeZeroMeansNoQueue: discord.queue_size: 0 is no queue, not
// the bot's default of 32.
func TestQueueSizeZeroMeansNoQueue(t *testing.T) {
	for _, tc := range []struct{ configured, want int }{{0, -1}, {1, 1}, {32, 32}} {
		if got := botQueueSize(tc.configured); got != tc.want {
			t.Errorf("queue_size %d: bot QueueSize %d, want %d", tc.configured, got, tc.want)
		}
	}
}

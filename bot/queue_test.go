package bot

import (
	"context"
	"errors"
	"testing"
)

func TestAdmissionPositions(t *testing.T) {
	t.Parallel()
	a := newAdmission(2, 2)
	var tickets []*ticket
	wantPos := []int{0, 0, 1, 2}
	for i, want := range wantPos {
		tk, pos, err := a.Enter()
		if err != nil || pos != want {
			t.Fatalf("enter %d: position %d, err %v; want %d, nil", i, pos, err, want)
		}
		tickets = append(tickets, tk)
	}
	if _, _, err := a.Enter(); !errors.Is(err, errBusy) {
		t.Fatalf("fifth enter: err %v, want errBusy", err)
	}
	// The first waiter gets the first freed slot.
	tickets[0].Done()
	if err := tickets[2].Wait(t.Context()); err != nil {
		t.Fatalf("first waiter: %v", err)
	}
	select {
	case <-tickets[3].admitted:
		t.Fatal("second waiter admitted without a free slot")
	default:
	}
	// A waiter whose asker gave up leaves the queue; its place is reused.
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := tickets[3].Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	if _, pos, err := a.Enter(); err != nil || pos != 1 {
		t.Fatalf("enter after cancel: position %d err %v, want 1 nil", pos, err)
	}
	tickets[3].Done() // harmless
	if got := a.Running(); got != 2 {
		t.Errorf("running %d, want 2", got)
	}
}

func TestAdmissionClose(t *testing.T) {
	t.Parallel()
	a := newAdmission(1, 5)
	run, _, _ := a.Enter()
	wait, pos, _ := a.Enter()
	if pos != 1 {
		t.Fatalf("position %d, want 1", pos)
	}
	a.Close()
	if err := wait.Wait(t.Context()); !errors.Is(err, errClosing) {
		t.Errorf("waiter after Close: %v, want errClosing", err)
	}
	wait.Done()
	if _, _, err := a.Enter(); !errors.Is(err, errClosing) {
		t.Errorf("enter after Close: %v, want errClosing", err)
	}
	if got := a.Running(); got != 1 {
		t.Errorf("running %d after Close, want the running answer kept", got)
	}
	run.Done()
	if got := a.Running(); got != 0 {
		t.Errorf("running %d after Done, want 0", got)
	}
}

package index

import "os"

// writeBehindBytes is how many bytes a save writes before it asks the
// system to start writing them to disk (see writeBehind). 32 MiB is not
// tuned: large enough that the requests cost nothing, small enough that
// the disk starts early.
const writeBehindBytes = 32 << 20

// writeBehind writes to f and, every writeBehindBytes, starts the
// writeback of what it wrote since, so that the disk writes the index
// file while the rest of it is encoded, and the fsync that ends a save
// waits only for the last bytes. Without it, at a million passages, that
// fsync waited 2.0-2.5 s for the 2.4 GB file, after its single-threaded
// writing (reportbench, issue 18); and the file's dirty pages added to
// those of the spill files towards the system's dirty limit, above which
// writes are throttled.
type writeBehind struct {
	f       *os.File
	off     int64 // bytes written
	started int64 // bytes whose writeback was started
}

func (w *writeBehind) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	w.off += int64(n)
	if w.off-w.started >= writeBehindBytes {
		startWriteback(w.f, w.started, w.off-w.started)
		w.started = w.off
	}
	return n, err
}

package lexical

import (
	"syscall"
	"unsafe"
)

// hugePageBytes is the size of a transparent huge page on x86-64 and arm64
// Linux.
const hugePageBytes = 2 << 20

// adviseHugePages asks Linux to back the whole 2 MiB pages inside b, not
// yet touched, with huge pages (madvise MADV_HUGEPAGE; a no-op where
// transparent huge pages are off, or always on). Filling the postings
// writes each document's postings far apart in an array of about 0.9 GB
// at a million passages, and with 4 KiB pages nearly every write missed
// the TLB. Best effort: an error changes nothing.
func adviseHugePages(b []byte) {
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	lo := (start + hugePageBytes - 1) &^ (hugePageBytes - 1)
	hi := (start + uintptr(len(b))) &^ (hugePageBytes - 1)
	if hi <= lo {
		return
	}
	_ = syscall.Madvise(b[lo-start:hi-start], 14) // MADV_HUGEPAGE
}

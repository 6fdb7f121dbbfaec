//go:build unix

package main

import (
	"os"
	"syscall"
)

// mapFile maps the first size bytes of f read-only.
func mapFile(f *os.File, size int64) ([]byte, error) {
	if int64(int(size)) != size {
		return nil, syscall.EINVAL
	}
	return syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_SHARED)
}

// dropPages gives the pages of b, a part of a shared file mapping, back to
// the kernel: read again, they come back from the page cache or the file.
func dropPages(b []byte) {
	if len(b) > 0 {
		syscall.Madvise(b, syscall.MADV_DONTNEED)
	}
}

// unmapFile releases a mapping made by mapFile.
func unmapFile(b []byte) { syscall.Munmap(b) }

package binlog

import "syscall"

// adviseSequential asks the kernel to read ahead: the file is read front to
// back once.
func adviseSequential(b []byte) { _ = syscall.Madvise(b, syscall.MADV_SEQUENTIAL) }

// dropPages tells the kernel the process is done with the mapped pages of b
// (page aligned): they leave the process's resident set and are read again
// from the page cache if touched.
func dropPages(b []byte) { _ = syscall.Madvise(b, syscall.MADV_DONTNEED) }

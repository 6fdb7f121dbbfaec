package binlog

import "syscall"

// adviseSequential asks the kernel to read ahead: the file is read front to
// back once.
func adviseSequential(b []byte) { _ = syscall.Madvise(b, syscall.MADV_SEQUENTIAL) }

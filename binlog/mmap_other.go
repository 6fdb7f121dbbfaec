//go:build !unix

package binlog

import (
	"errors"
	"os"
)

// mmapFile is not available here: OpenFile reads through a buffer.
func mmapFile(*os.File, int64) ([]byte, error) { return nil, errors.ErrUnsupported }

func munmap([]byte) error { return nil }

func dropPages([]byte) {}

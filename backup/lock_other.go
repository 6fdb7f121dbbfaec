//go:build !unix

package backup

import (
	"errors"
	"os"
	"runtime"
)

// tryLock has no kernel lock to take here.
func tryLock(f *os.File) (bool, error) {
	return false, errors.New("archive locking is not implemented on " + runtime.GOOS)
}

func unlock(f *os.File) {}

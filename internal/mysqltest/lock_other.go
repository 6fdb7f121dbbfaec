//go:build !unix

package mysqltest

import (
	"context"
	"fmt"
	"runtime"
)

// lockFile is not needed where Debian's packages cannot run anyway.
func lockFile(ctx context.Context, path string, logf func(string, ...any)) (func(), error) {
	return nil, fmt.Errorf("%w: Debian's MySQL packages do not run on %s", ErrUnavailable, runtime.GOOS)
}

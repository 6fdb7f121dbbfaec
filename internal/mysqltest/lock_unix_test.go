//go:build unix

package mysqltest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLockFile: a second holder waits until the first releases the lock
// (flock conflicts between two opens of the file, in one process as in two),
// and a cancelled wait gives up.
func TestLockFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "mysql.lock")
	ctx := context.Background()
	unlock, err := lockFile(ctx, path, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	var waited []string
	got := make(chan time.Time, 1)
	go func() {
		u, err := lockFile(ctx, path, func(f string, a ...any) { waited = append(waited, f) })
		if err != nil {
			t.Error(err)
			return
		}
		got <- time.Now()
		u()
	}()
	time.Sleep(300 * time.Millisecond)
	released := time.Now()
	unlock()
	at := <-got
	if at.Before(released) {
		t.Errorf("the second holder got the lock %v before the first released it", released.Sub(at))
	}
	if len(waited) != 1 || !strings.Contains(waited[0], "waiting for another process") {
		t.Errorf("wait messages %q", waited)
	}

	unlock, err = lockFile(ctx, path, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	if _, err := lockFile(cctx, path, func(string, ...any) {}); err != context.DeadlineExceeded {
		t.Errorf("a cancelled wait returned %v", err)
	}
}

// Command prepare fetches and unpacks the MySQL server and client that
// internal/mysqltest runs (Debian sid's mysql-server-core and
// mysql-client-core) into the user's cache, or refreshes them when the
// mirror has a newer version, so that test processes find them ready
// instead of racing to download them:
//
//	go run ./internal/mysqltest/cmd/prepare
//
// It prints the version and the directory, and exits 1 with the reason
// when MySQL cannot be had on this machine.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/binlogkit/binlogkit/internal/mysqltest"
)

func main() {
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	t0 := time.Now()
	logf := func(format string, args ...any) { fmt.Fprintf(os.Stderr, format+"\n", args...) }
	in, err := mysqltest.Prepare(ctx, mysqltest.PrepareOptions{Refresh: true, Logf: logf})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("MySQL %s (Debian %s) ready in %s (%v)\n", in.ServerVersion(), in.Version, in.Root, time.Since(t0).Round(time.Millisecond))
}

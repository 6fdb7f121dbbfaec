//go:build integration

package binlog

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/binlogkit/binlogkit/event"
	"github.com/binlogkit/binlogkit/internal/mariadbtest"
)

// recipeState is what the README's checkpoint recipe saves after each
// transaction: the Checkpoint, and how much output it covers.
type recipeState struct {
	GTIDSet string `json:"gtid_set"`
	OutLen  int64  `json:"out_len"`
}

// TestIntegrationCheckpointRecipeConsumer is the README's recipe as a
// program, run as a child process by TestIntegrationCheckpointRecipe: it
// resumes from the saved state, writes one line per complete transaction
// (its GTID and its rows), then saves the Checkpoint with the output
// length, so that a kill between the two writes the transaction again, not
// twice.
func TestIntegrationCheckpointRecipeConsumer(t *testing.T) {
	dir, dsn := os.Getenv("BINLOGKIT_RECIPE_DIR"), os.Getenv("BINLOGKIT_RECIPE_DSN")
	if dir == "" {
		t.Skip("a child process of TestIntegrationCheckpointRecipe")
	}
	statePath, outPath := filepath.Join(dir, "state.json"), filepath.Join(dir, "out.txt")
	var st recipeState
	if b, err := os.ReadFile(statePath); err == nil {
		if err := json.Unmarshal(b, &st); err != nil {
			t.Fatal(err)
		}
	}
	out, err := os.OpenFile(outPath, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	// Output written after the last saved checkpoint is delivered again.
	if err := out.Truncate(st.OutLen); err != nil {
		t.Fatal(err)
	}
	if _, err := out.Seek(st.OutLen, io.SeekStart); err != nil {
		t.Fatal(err)
	}
	// Killed runs follow the server; the last one stops at its end.
	cfg := DialConfig{DSN: dsn, NonBlocking: os.Getenv("BINLOGKIT_RECIPE_FOLLOW") == ""}
	if st.GTIDSet != "" {
		if cfg.GTIDSet, err = ParseGTIDSet(st.GTIDSet); err != nil {
			t.Fatal(err)
		}
	}
	ctx := context.Background()
	src, err := Dial(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	r := NewReader(src)
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		rows := 0
		for ev, err := range tx.Events() {
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := ev.Body.(*event.Rows); ok {
				rows++
			}
		}
		if !tx.Complete || !tx.HasGTID {
			continue
		}
		line := fmt.Sprintf("%s %d\n", tx.GTID, rows)
		if _, err := out.WriteString(line); err != nil {
			t.Fatal(err)
		}
		st.OutLen += int64(len(line))
		st.GTIDSet = src.Checkpoint().GTIDSet.String() // after the transaction just handled
		b, _ := json.Marshal(st)
		if err := os.WriteFile(statePath+".tmp", b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(statePath+".tmp", statePath); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIntegrationCheckpointRecipe runs the README's recipe against a
// private MariaDB while a workload commits 300 transactions, kills the
// consumer with SIGKILL three times at random moments and restarts it
// with the same arguments: in the end every transaction was written out
// exactly once.
func TestIntegrationCheckpointRecipe(t *testing.T) {
	srv := mariadbtest.Start(t)
	srv.Exec(t, "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(40))")
	dir := t.TempDir()
	const txs = 300
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < txs; i++ {
			srv.Exec(t, fmt.Sprintf("BEGIN; INSERT INTO shop.t VALUES (%d, 'a'); UPDATE shop.t SET v = 'b' WHERE id = %d; COMMIT", i, i))
		}
	}()
	start := func(follow bool) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run", "^TestIntegrationCheckpointRecipeConsumer$", "-test.count", "1")
		cmd.Env = append(os.Environ(), "BINLOGKIT_RECIPE_DIR="+dir, "BINLOGKIT_RECIPE_DSN="+srv.DSN())
		if follow {
			cmd.Env = append(cmd.Env, "BINLOGKIT_RECIPE_FOLLOW=1")
		}
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	for kill := 0; kill < 3; kill++ {
		cmd := start(true)
		time.Sleep(time.Duration(500+rand.IntN(800)) * time.Millisecond)
		cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err == nil || !strings.Contains(err.Error(), "killed") {
			t.Fatalf("consumer run %d was not killed: %v", kill+1, err)
		}
	}
	<-done
	// The last run reads to the server's end and stops.
	if err := start(false).Wait(); err != nil {
		t.Fatalf("last consumer run: %v", err)
	}
	f, err := os.Open(filepath.Join(dir, "out.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]int{}
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 2 {
			t.Fatalf("line %q", sc.Text())
		}
		seen[fields[0]]++
		n++
	}
	// CREATE DATABASE, CREATE TABLE, then the workload: GTIDs 0-1-3 … 0-1-302.
	for i := 3; i < 3+txs; i++ {
		g := fmt.Sprintf("0-1-%d", i)
		if seen[g] != 1 {
			t.Errorf("transaction %s delivered %d times", g, seen[g])
		}
	}
	if n != txs+2 {
		t.Errorf("%d lines, want %d", n, txs+2)
	}
}

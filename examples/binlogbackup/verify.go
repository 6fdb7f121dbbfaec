package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

const verifyUsageHead = `Usage: binlogbackup verify --dir DIR [--identity FILE] [--json]

Reads every file of the archive DIR back (decrypting and decompressing it) and
checks the binlog magic, every event's CRC32, the end_log_pos chain, that each
ROTATE names the next file of the archive, GTID continuity across files
(PREVIOUS_GTIDS / GTID_LIST against what the previous file held), that no file
of the chain is missing, and the index's sizes and SHA-256 sums. It prints
one line per file, then the problems, the first one first, each naming the
file and the byte offset; the outcome is recorded in DIR for binlogbackup's
metrics (binlogbackup_last_verified_timestamp_seconds).

Flags:
`

const verifyUsageTail = `
Examples:
  binlogbackup verify --dir /backup/db1
  binlogbackup verify --dir /backup/db1 --identity /secure/backup-key.txt --json | jq .problems

Exit status: 0 when no problem was found, 1 when one was (or DIR cannot be
read), 2 on bad usage.
`

// runVerify is "binlogbackup verify".
func runVerify(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var (
		dir     string
		asJSON  bool
		keys    cli.Keys
		noWrite bool
	)
	fs := flag.NewFlagSet("binlogbackup verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	fs.StringVar(&dir, "dir", "", "the archive `directory` (required)")
	fs.BoolVar(&asJSON, "json", false, "print the report as one JSON object")
	fs.BoolVar(&noWrite, "no-record", false, "do not record the outcome in DIR (a read-only archive)")
	keys.Register(fs)
	usage := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "binlogbackup verify: %s (run binlogbackup verify -h for usage)\n", fmt.Sprintf(format, a...))
		return exitUsage
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			cli.PrintUsage(stdout, verifyUsageHead, fs, verifyUsageTail)
			return exitOK
		}
		return usage("%s", err)
	}
	switch {
	case fs.NArg() > 0:
		return usage("unexpected argument %q", fs.Arg(0))
	case dir == "":
		return usage("--dir is required")
	}
	if err := keys.Load(); err != nil {
		var ue *cli.UsageError
		if errors.As(err, &ue) {
			return usage("%s", err)
		}
		fmt.Fprintf(stderr, "binlogbackup verify: %s\n", err)
		return exitError
	}
	rep, err := backup.Verify(ctx, dir, backup.VerifyOptions{Identities: keys.Identities(), Keys: keys.Provider(), Record: !noWrite})
	if err != nil && rep == nil {
		fmt.Fprintf(stderr, "binlogbackup verify: %s\n", strings.TrimPrefix(err.Error(), "backup: "))
		return exitError
	}
	if err != nil {
		fmt.Fprintf(stderr, "binlogbackup verify: recording the outcome: %s\n", err)
	}
	if asJSON {
		if rep.Problems == nil {
			rep.Problems = []backup.Problem{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		out := struct {
			*backup.Report
			OK bool `json:"ok"`
		}{rep, rep.OK()}
		enc.Encode(out)
	} else {
		for _, f := range rep.Files {
			state := "ok"
			if !f.OK {
				state = "PROBLEM"
			}
			partial := ""
			if f.Partial {
				partial = " (being written)"
			}
			gtids := ""
			if f.FirstGTID != "" {
				gtids = fmt.Sprintf(", GTIDs %s … %s", f.FirstGTID, f.LastGTID)
			}
			fmt.Fprintf(stdout, "%-7s %s%s: %d bytes, %d events%s\n", state, f.Name, partial, f.Size, f.Events, gtids)
		}
		for _, n := range rep.Notes {
			fmt.Fprintf(stdout, "note: %s\n", n)
		}
	}
	if !rep.OK() {
		for _, p := range rep.Problems {
			fmt.Fprintf(stderr, "binlogbackup verify: %s\n", p)
		}
		fmt.Fprintf(stderr, "binlogbackup verify: %d problems in %s; the first: %s\n", len(rep.Problems), dir, rep.Problems[0])
		return exitError
	}
	if !asJSON {
		fmt.Fprintf(stdout, "verified %d files in %s: no problem\n", len(rep.Files), dir)
	}
	return exitOK
}

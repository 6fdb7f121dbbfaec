package main

import (
	"io"

	"github.com/binlogkit/binlogkit/examples/internal/cli"
)

// progressMin is the input size above which a progress line is shown.
const progressMin = 4 << 20

// newProgress returns the progress line for c's files (none with --quiet).
func newProgress(c *config, stderr io.Writer) *cli.Progress {
	if c.quiet {
		return &cli.Progress{}
	}
	return cli.NewProgress(stderr, "binlog2sql", progressMin, c.files)
}

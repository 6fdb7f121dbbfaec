package main

import "github.com/binlogkit/binlogkit/examples/internal/cli"

// errLine is an input error on one line, with the flag that gives a
// missing or wrong key of an encrypted binlog.
func errLine(err error) string { return oneLine(cli.KeyHint(err).Error()) }

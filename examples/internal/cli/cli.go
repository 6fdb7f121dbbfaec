// Package cli holds the command-line plumbing the example tools share: usage
// errors (exit status 2), the -h flag listing, flags parsed between file
// names, comma-list flags, --tz and --start/stop-datetime parsing, the
// --database and --include/exclude-gtids filters, opening the FILE arguments
// and the progress line drawn on a terminal.
//
// It is internal to the examples: the library's packages do not use it, and
// its API changes with the tools.
package cli

import (
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/binlogkit/binlogkit/binlog"
)

// UsageError is bad usage: the tool prints its one-line message with a hint
// to run -h and exits with status 2.
type UsageError struct{ Msg string }

// Error returns the message.
func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a *UsageError with a formatted message.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ParseFlags parses args with fs, allowing flags after file names as
// mysqlbinlog does ("binlogdump a.bin --json b.bin"); "--" ends the flags and
// every argument after it is a file. It returns the file arguments in order,
// flag.ErrHelp for -h, and a *UsageError for any other flag error. fs should
// be flag.ContinueOnError with its output discarded.
func ParseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	rest := args
	for len(rest) > 0 {
		if err := fs.Parse(rest); err != nil {
			if err == flag.ErrHelp {
				return nil, err
			}
			return nil, &UsageError{Msg: err.Error()}
		}
		left := fs.Args()
		if used := len(rest) - len(left); used > 0 && rest[used-1] == "--" {
			files = append(files, left...)
			break
		}
		if len(left) == 0 {
			break
		}
		files = append(files, left[0])
		rest = left[1:]
	}
	return files, nil
}

// listFlag is a repeatable flag whose values may also be comma lists.
type listFlag struct{ vals *[]string }

// List returns a flag.Value that appends to *vals: the flag may be repeated,
// and each value may be a comma list ("--table a,b --table c"); blanks around
// the items and empty items are dropped.
func List(vals *[]string) flag.Value { return listFlag{vals} }

func (l listFlag) String() string {
	if l.vals == nil {
		return ""
	}
	return strings.Join(*l.vals, ",")
}

func (l listFlag) Set(s string) error {
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			*l.vals = append(*l.vals, v)
		}
	}
	return nil
}

// PrintUsage writes head, then every flag of fs in name order, then tail.
// A flag is listed as "--name" (a one-letter flag as "-x"), followed by the
// back-quoted word of its usage, and its usage text on an indented line, with
// "(default …)" unless the default is empty, zero, false or 0s.
func PrintUsage(w io.Writer, head string, fs *flag.FlagSet, tail string) {
	io.WriteString(w, head)
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		line := "  " + dash + f.Name
		if name != "" {
			line += " " + name
		}
		line += "\n    \t" + usage
		switch f.DefValue {
		case "", "0", "false", "0s":
		default:
			line += " (default " + f.DefValue + ")"
		}
		fmt.Fprintln(w, line)
	})
	io.WriteString(w, tail)
}

// ParseDateTime reads the value s of the flag --flagName as a time in loc
// ("YYYY-MM-DD HH:MM:SS", or a prefix of it, as binlog.ParseDateTime takes).
// A bad value is a *UsageError.
func ParseDateTime(flagName, s string, loc *time.Location) (time.Time, error) {
	t, err := binlog.ParseDateTime(s, loc)
	if err != nil {
		return time.Time{}, Usagef("bad --%s %q: want \"YYYY-MM-DD HH:MM:SS\"", flagName, s)
	}
	return t, nil
}

// ParseZone reads --tz: UTC (also "", Z, GMT), Local, an IANA name such as
// Europe/Berlin, or a numeric offset: +08:00, -0530 or +8 (hours up to 14).
// An offset zone is named as written. A bad value is a *UsageError. Tools
// that accept names import time/tzdata, so that names work on hosts without
// a zoneinfo database.
func ParseZone(s string) (*time.Location, error) {
	switch strings.ToLower(s) {
	case "", "utc", "z", "gmt":
		return time.UTC, nil
	case "local":
		return time.Local, nil
	}
	if s[0] == '+' || s[0] == '-' {
		sign := 1
		if s[0] == '-' {
			sign = -1
		}
		hh, mm, ok := strings.Cut(s[1:], ":")
		if !ok && len(hh) == 4 {
			hh, mm = hh[:2], hh[2:]
		}
		h, err1 := strconv.Atoi(hh)
		m := 0
		var err2 error
		if mm != "" {
			m, err2 = strconv.Atoi(mm)
		}
		if err1 != nil || err2 != nil || h > 14 || m > 59 || h < 0 || m < 0 {
			return nil, Usagef("bad --tz %q: want UTC, Local, a zone name or an offset like +08:00", s)
		}
		return time.FixedZone(s, sign*(h*3600+m*60)), nil
	}
	loc, err := time.LoadLocation(s)
	if err != nil {
		return nil, Usagef("bad --tz %q: %v", s, err)
	}
	return loc, nil
}

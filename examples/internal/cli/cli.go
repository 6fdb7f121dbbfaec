// Package cli holds the command-line plumbing the example tools share: usage
// errors (exit status 2, one line), the -h flag listing with aliases, flags
// parsed between file names, comma-list flags, the selection flags every
// tool that reads binlogs has (Selection: positions, files, times and the
// zone, databases, tables, GTIDs), the key flags of encrypted binlogs,
// opening the FILE arguments and the progress line drawn on a terminal.
//
// It is internal to the examples: the library's packages do not use it, and
// its API changes with the tools.
package cli

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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

// alias is a second name of a flag: the same flag.Value.
type alias struct {
	flag.Value
	of  string // the flag's first name
	seq int64  // declaration order among aliases
}

// IsBoolFlag lets a boolean flag's alias be given without a value.
func (a *alias) IsBoolFlag() bool {
	b, ok := a.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// aliasSeq numbers the aliases in declaration order (flag sets may be
// built on several goroutines).
var aliasSeq atomic.Int64

// Alias declares each of names as another name of the flag canonical of
// fs, which must be declared already: either name sets the same value.
// PrintUsage lists the flag once, its aliases after its name.
func Alias(fs *flag.FlagSet, canonical string, names ...string) {
	f := fs.Lookup(canonical)
	if f == nil {
		panic("cli: alias of undeclared flag " + canonical)
	}
	for _, n := range names {
		fs.Var(&alias{Value: f.Value, of: canonical, seq: aliasSeq.Add(1)}, n, f.Usage)
	}
}

// flagName writes a flag's name as it is typed: "--name", "-x" for one
// letter.
func flagName(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}

// PrintUsage writes head, then every flag of fs in name order, then tail.
// A flag is listed as "--name" (a one-letter flag as "-x") followed by its
// aliases (see Alias) and the back-quoted word of its usage, and its usage
// text on an indented line, with "(default …)" unless the default is
// empty, zero, false or 0s.
func PrintUsage(w io.Writer, head string, fs *flag.FlagSet, tail string) {
	io.WriteString(w, head)
	aliases := make(map[string][]*flag.Flag)
	fs.VisitAll(func(f *flag.Flag) {
		if a, ok := f.Value.(*alias); ok {
			aliases[a.of] = append(aliases[a.of], f)
		}
	})
	for _, as := range aliases {
		slices.SortFunc(as, func(a, b *flag.Flag) int {
			// Long names before letters, each in declaration order.
			if la, lb := len(a.Name) == 1, len(b.Name) == 1; la != lb {
				if la {
					return 1
				}
				return -1
			}
			return cmp.Compare(a.Value.(*alias).seq, b.Value.(*alias).seq)
		})
	}
	fs.VisitAll(func(f *flag.Flag) {
		if _, ok := f.Value.(*alias); ok {
			return
		}
		name, usage := flag.UnquoteUsage(f)
		line := "  " + flagName(f.Name)
		for _, a := range aliases[f.Name] {
			line += ", " + flagName(a.Name)
		}
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

// UsageLine is the one line a tool prints for bad usage:
// "TOOL: message (run TOOL -h for usage)".
func UsageLine(tool string, err error) string {
	msg := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ").Replace(err.Error())
	return tool + ": " + msg + " (run " + tool + " -h for usage)"
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

// LocalZone returns the local time zone as the C library reads it, from the
// TZ environment variable at the time of the call (time.Local is read once,
// when a program starts): unset is time.Local (the system's zone), "" is
// UTC, a name (with or without a leading ':') is looked up in the zone
// database, and a value that names no zone Go knows (a POSIX rule such as
// CST-8) is time.Local.
func LocalZone() *time.Location {
	tz, ok := os.LookupEnv("TZ")
	if !ok {
		return time.Local
	}
	tz = strings.TrimPrefix(tz, ":")
	if tz == "" || tz == "UTC" {
		return time.UTC
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		return loc
	}
	return time.Local
}

// ZoneName names a zone for headers and messages: its name and its offset
// from UTC now, "Asia/Shanghai (UTC+08:00)"; "UTC"; for the system's zone
// (time.Local) its abbreviation, "local CET (UTC+01:00)".
func ZoneName(loc *time.Location) string {
	if loc == time.UTC {
		return "UTC"
	}
	abbr, off := time.Now().In(loc).Zone()
	name := loc.String()
	switch {
	case loc == time.Local && abbr == "UTC" && off == 0:
		return "UTC"
	case loc == time.Local:
		name = "local " + abbr
	case name == "UTC" && off == 0:
		return "UTC"
	}
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("%s (UTC%c%02d:%02d)", name, sign, off/3600, off%3600/60)
}

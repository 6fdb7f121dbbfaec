package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// toolPair is one tool path of the project measured against its peer: the
// same input, whole processes, output thrown away.
type toolPair struct {
	name       string
	ours, peer []string // argv; {input} is replaced by the input's path
}

// toolPairs are the tools users run, against what they would run instead.
// The go-mysql peer of binlogdump --json is this program's own full decode
// with go-mysql (it decodes every value and prints nothing).
func toolPairs(self, dir string) []toolPair {
	return []toolPair{
		{"binlogdump --json", []string{filepath.Join(dir, "binlogdump"), "--json", "{input}"},
			[]string{self, "-lib", "go-mysql", "-workloads", "decode", "-rounds", "1", "-input", "{input}"}},
		{"binlogdump -v", []string{filepath.Join(dir, "binlogdump"), "-v", "{input}"},
			[]string{"mariadb-binlog", "--no-defaults", "--skip-gtid-strict-mode", "-vv", "--base64-output=decode-rows", "{input}"}},
		{"binlog2sql --flashback", []string{filepath.Join(dir, "binlog2sql"), "--flashback", "--skip-unsafe", "--quiet", "{input}"},
			[]string{"mariadb-binlog", "--no-defaults", "--skip-gtid-strict-mode", "--flashback", "{input}"}},
		{"binlog2sql (forward SQL)", []string{filepath.Join(dir, "binlog2sql"), "--quiet", "{input}"},
			[]string{"mariadb-binlog", "--no-defaults", "--skip-gtid-strict-mode", "-vv", "{input}"}},
	}
}

// procResult is one whole-process run.
type procResult struct {
	wall, cpu time.Duration
	peakKB    int64
}

// runProc runs argv with its output sent to the null device, as
// `CMD > /dev/null` does: a pipe read by this process would cost CPU on
// the cores the tools run on, and more of it for the faster tool.
func runProc(argv []string) (procResult, error) {
	null, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		return procResult{}, err
	}
	defer null.Close()
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout = null
	cmd.Stderr = io.Discard
	t := time.Now()
	if err := cmd.Run(); err != nil {
		return procResult{}, fmt.Errorf("%v: %w", argv, err)
	}
	res := procResult{wall: time.Since(t)}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		res.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		res.peakKB = ru.Maxrss
	}
	return res, nil
}

// runTools builds the tools (or takes those in bin, when not empty: an
// earlier build, for a before-and-after table) and times each pair,
// alternating, rounds times, and prints the medians and the ratios.
func runTools(input string, size int64, rounds int, bin string) error {
	dir := bin
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "bench-tools-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		for _, t := range []string{"binlogdump", "binlog2sql"} {
			// Built in the project's own module (with its go.sum), not this one.
			cmd := exec.Command("go", "build", "-o", filepath.Join(dir, t), "./examples/"+t)
			cmd.Dir = ".."
			if out, err := cmd.CombinedOutput(); err != nil {
				return fmt.Errorf("building %s: %v\n%s", t, err, out)
			}
		}
	}
	self, err := os.Executable()
	if err != nil {
		return err
	}
	fmt.Printf("tools in %s on %s (%.1f MB), whole processes, output to the null device, %d alternating rounds, medians\n", dir, input, float64(size)/1e6, rounds)
	fmt.Printf("%-26s %9s %9s %9s %9s %9s %9s %8s %8s\n", "tool", "wall s", "cpu s", "MB/s", "peak MiB", "peer wall", "peer cpu", "×(wall)", "×(cpu)")
	for _, p := range toolPairs(self, dir) {
		ours, peer := subst(p.ours, input), subst(p.peer, input)
		if _, err := exec.LookPath(peer[0]); err != nil {
			fmt.Printf("%-26s skipped: %v\n", p.name, err)
			continue
		}
		var a, b []procResult
		for r := 0; r < rounds; r++ {
			ra, err := runProc(ours)
			if err != nil {
				return err
			}
			rb, err := runProc(peer)
			if err != nil {
				return err
			}
			a, b = append(a, ra), append(b, rb)
		}
		ma, mb := median(a), median(b)
		fmt.Printf("%-26s %9.2f %9.2f %9.0f %9.1f %9.2f %9.2f %8.2f %8.2f\n", p.name, ma.wall.Seconds(), ma.cpu.Seconds(),
			float64(size)/1e6/ma.wall.Seconds(), float64(ma.peakKB)/1024, mb.wall.Seconds(), mb.cpu.Seconds(),
			mb.wall.Seconds()/ma.wall.Seconds(), mb.cpu.Seconds()/ma.cpu.Seconds())
	}
	return nil
}

func subst(argv []string, input string) []string {
	out := slices.Clone(argv)
	for i, a := range out {
		if a == "{input}" {
			out[i] = input
		}
	}
	return out
}

// median returns the run with the median wall time, its CPU time and peak
// replaced by their own medians.
func median(rs []procResult) procResult {
	pick := func(f func(procResult) int64) int64 {
		v := make([]int64, len(rs))
		for i, r := range rs {
			v[i] = f(r)
		}
		slices.Sort(v)
		return v[len(v)/2]
	}
	return procResult{
		wall:   time.Duration(pick(func(r procResult) int64 { return int64(r.wall) })),
		cpu:    time.Duration(pick(func(r procResult) int64 { return int64(r.cpu) })),
		peakKB: pick(func(r procResult) int64 { return r.peakKB }),
	}
}

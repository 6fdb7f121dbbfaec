// Command bench runs binlogkit and github.com/go-mysql-org/go-mysql over
// the same binlog, alternately, in one process, and prints per workload
// MB/s, events/s, rows/s, allocations and the binlogkit/go-mysql ratio.
//
//	go run . -gen-mysql /tmp/mysql8.bin -size 300MB
//	go run . -gen-mariadb /tmp/mariadb.bin -size 400MB
//	go run . -input /tmp/mysql8.bin [-workloads all] [-rounds 3] [-cpuprofile p]
//	go run . -tools -input /tmp/mariadb.bin [-rounds 3] [-tools-bin DIR]
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"
)

func parseSize(s string) (int64, error) {
	mul := int64(1)
	u := strings.ToUpper(s)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}} {
		if strings.HasSuffix(u, suf.s) {
			mul, u = suf.m, strings.TrimSuffix(u, suf.s)
			break
		}
	}
	n, err := strconv.ParseInt(u, 10, 64)
	return n * mul, err
}

func main() {
	input := flag.String("input", "", "binlog file to read")
	genMy := flag.String("gen-mysql", "", "write a generated MySQL 8.0 binlog to this file and exit")
	genMaria := flag.String("gen-mariadb", "", "write a MariaDB binlog (recorded events repeated) to this file and exit")
	recorded := flag.String("recorded", "../testdata/recorded", "directory of the recorded MariaDB binlogs (-gen-mariadb)")
	sizeFlag := flag.String("size", "300MB", "size of a generated binlog")
	wl := flag.String("workloads", "all", "comma-separated workloads: "+strings.Join(workloadNames(), ",")+" (all), decode-par, sql-par")
	workers := flag.Int("workers", 0, "goroutines of the decode-par and sql-par workloads (0: GOMAXPROCS)")
	batchBytes := flag.Int("batch-bytes", 0, "event bytes per batch of the decode-par and sql-par workloads (0: binlog.DefaultBatchBytes)")
	rounds := flag.Int("rounds", 3, "rounds per library and workload (the best is printed)")
	keep := flag.String("keep", "", "table kept by the filter workload (default: the table closest to 1/20 of the row data)")
	jsonTables := flag.String("json-tables", "*.j*", "tables of the JSON-heavy workload")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the binlogkit runs to this file")
	only := flag.String("lib", "both", "binlogkit, go-mysql or both")
	toolsBin := flag.String("tools-bin", "", "with -tools: time the binlogdump and binlog2sql in this `directory` (an earlier build) instead of building them from ../examples")
	tools := flag.Bool("tools", false, "time the tools users run (binlogdump --json and -v, binlog2sql --flashback and forward) against their peers (go-mysql's full decode, mariadb-binlog) as whole processes on -input")
	flag.Parse()

	if *genMy != "" || *genMaria != "" {
		size, err := parseSize(*sizeFlag)
		if err != nil {
			fatal(err)
		}
		if *genMy != "" {
			err = genMySQL(*genMy, size)
		} else {
			err = genMariaDB(*genMaria, *recorded, size)
		}
		if err != nil {
			fatal(err)
		}
		return
	}
	if *input == "" {
		flag.Usage()
		os.Exit(2)
	}
	st, err := os.Stat(*input)
	if err != nil {
		fatal(err)
	}
	if *tools {
		if err := runTools(*input, st.Size(), *rounds, *toolsBin); err != nil {
			fatal(err)
		}
		return
	}
	cfg := &config{path: *input, size: st.Size(), keep: *keep, jsonTables: *jsonTables, workers: *workers, batchBytes: *batchBytes}
	if cfg.keep == "" {
		if cfg.keep, err = pickTable(cfg.path); err != nil {
			fatal(err)
		}
	}
	if *cpuprofile != "" {
		// The whole run is profiled: use -lib binlogkit for binlogkit's profile.
		prof, err := os.Create(*cpuprofile)
		if err != nil {
			fatal(err)
		}
		if err := pprof.StartCPUProfile(prof); err != nil {
			fatal(err)
		}
		defer prof.Close()
		defer pprof.StopCPUProfile()
	}
	fmt.Printf("input %s: %.1f MB; filter keeps %s; JSON workload keeps %s; GOMAXPROCS=%d %s\n",
		cfg.path, float64(cfg.size)/1e6, cfg.keep, cfg.jsonTables, runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Println("binlogkit filter: binlog.TableFilter judges TABLE_MAP and rows events by name before decoding them, with",
		"binlog.SkipDroppedChecksums (checksums of the events it drops are not verified; of all others they are)")
	fmt.Printf("%-12s %-9s %9s %10s %10s %9s %9s %10s %7s %8s %6s\n", "workload", "library", "MB/s", "events/s", "rows/s", "alloc/ev", "alloc/row", "MB alloc", "ratio", "cpuMB/s", "cores")
	for _, w := range append(workloads(cfg), parallelWorkloads(cfg)...) {
		if (*wl != "all" || w.gm == nil) && !contains(strings.Split(*wl, ","), w.name) {
			continue
		}
		var best [2]result
		var bestCPU [2]time.Duration
		for r := 0; r < *rounds; r++ {
			for i, run := range []func() (result, error){w.kit, w.gm} {
				if (i == 0 && *only == "go-mysql") || (i == 1 && (*only == "binlogkit" || run == nil)) {
					continue
				}
				res, err := measure(run)
				if err != nil {
					fatal(fmt.Errorf("%s %s: %w", w.name, []string{"binlogkit", "go-mysql"}[i], err))
				}
				if best[i].dur == 0 || res.dur < best[i].dur {
					best[i] = res
				}
				if bestCPU[i] == 0 || res.cpu < bestCPU[i] {
					bestCPU[i] = res.cpu
				}
			}
		}
		k, g := best[0], best[1]
		if w.name == "sql" || w.name == "sql-par" {
			fmt.Printf("sql output: binlogkit %.1f MB, go-mysql %.1f MB\n", float64(cfg.sqlBytes[0])/1e6, float64(cfg.sqlBytes[1])/1e6)
		}
		for i, res := range best {
			if res.dur == 0 {
				continue
			}
			ratio := ""
			if i == 0 && g.dur > 0 {
				ratio = fmt.Sprintf("%.1fx", g.dur.Seconds()/k.dur.Seconds())
			}
			cpuRate := 0.0
			if bestCPU[i] > 0 {
				cpuRate = float64(cfg.size) / 1e6 / bestCPU[i].Seconds()
			}
			// cores: CPU time over wall time of the fastest run (on a
			// shared machine, whether it got the processors it asked for).
			fmt.Printf("%-12s %-9s %9.0f %10.0f %10.0f %9.2f %9.2f %10.0f %7s %8.0f %6.2f\n", w.name, []string{"binlogkit", "go-mysql"}[i],
				float64(cfg.size)/1e6/res.dur.Seconds(), float64(res.events)/res.dur.Seconds(), float64(res.rows)/res.dur.Seconds(),
				per(res.mallocs, res.events), per(res.mallocs, res.rows), float64(res.allocBytes)/1e6, ratio, cpuRate, res.cpu.Seconds()/res.dur.Seconds())
		}
		if k.dur > 0 && g.dur > 0 && (k.events != g.events || k.rows != g.rows) {
			fmt.Printf("WARNING %s: binlogkit saw %d events %d rows, go-mysql %d events %d rows\n", w.name, k.events, k.rows, g.events, g.rows)
		}
	}
}

func per(a uint64, b int64) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

func fatal(err error) {
	pprof.StopCPUProfile()
	fmt.Fprintln(os.Stderr, "bench:", err)
	os.Exit(1)
}

type result struct {
	events, rows        int64
	dur                 time.Duration
	cpu                 time.Duration // process CPU time (all goroutines)
	mallocs, allocBytes uint64
}

// measure runs f once after a collection, with the same GC settings for
// both libraries, and adds the process's allocation counts to its result.
func measure(f func() (result, error)) (result, error) {
	var m0, m1 runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&m0)
	t, c := time.Now(), cpuTime()
	res, err := f()
	res.dur = time.Since(t)
	res.cpu = cpuTime() - c
	runtime.ReadMemStats(&m1)
	res.mallocs = m1.Mallocs - m0.Mallocs
	res.allocBytes = m1.TotalAlloc - m0.TotalAlloc
	return res, err
}

package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/binlogkit/binlogkit/backup"
	"github.com/binlogkit/binlogkit/binlog"
	"github.com/binlogkit/binlogkit/event"
)

// point is a position in the server's binlogs.
type point struct {
	file string
	pos  uint64
}

func (p point) String() string { return fmt.Sprintf("%s:%d", p.file, p.pos) }

// before reports whether p lies before q.
func (p point) before(q point) bool {
	c := backup.CompareNames(p.file, q.file)
	return c < 0 || c == 0 && p.pos < q.pos
}

// txInfo describes one transaction of the archive.
type txInfo struct {
	at     point // its first event
	end    uint64
	gtid   binlog.GTID
	has    bool
	commit time.Time
}

func (t *txInfo) String() string {
	s := t.at.String()
	if t.has {
		s += " (GTID " + t.gtid.String() + ")"
	}
	if !t.commit.IsZero() {
		s += ", committed " + t.commit.Local().Format("2006-01-02 15:04:05.000000 MST")
	}
	return s
}

// target is where the restore stops: the first transaction committed at or
// after a time, the first whose GTID is at or after a GTID, or the first
// starting at or after a position.
type target struct {
	time  time.Time
	gtids *binlog.GTIDSet
	maria []binlog.GTID // MariaDB: per domain, the first GTID left out
	pos   *point
}

// reached reports whether tx is the first transaction to leave out.
func (t *target) reached(tx *txInfo) bool {
	switch {
	case !t.time.IsZero():
		return !tx.commit.Before(t.time)
	case t.pos != nil:
		return !tx.at.before(*t.pos)
	case !tx.has:
		return false
	case tx.gtid.Flavor == event.MariaDB:
		for _, g := range t.maria {
			if g.Domain == tx.gtid.Domain && tx.gtid.Seq >= g.Seq {
				return true
			}
		}
		return false
	}
	return t.gtids.Contains(tx.gtid)
}

func (t *target) String() string {
	switch {
	case !t.time.IsZero():
		return "--until " + t.time.Format("2006-01-02 15:04:05 MST")
	case t.pos != nil:
		return "--until-position " + t.pos.String()
	}
	return "--until-gtid " + t.gtids.String()
}

// plan is what a restore applies, found by reading the archive.
type plan struct {
	dir     string
	ids     []age.Identity
	entries []backup.Entry // the files served, from the start's to the stop's
	start   point          // the first transaction applied
	stop    point          // where the restore stops: the first byte not applied
	left    *txInfo        // the first transaction left out
	first   *txInfo
	last    *txInfo
	count   int
	// The archive's server: its flavor, version and server ids.
	flavor    event.Flavor
	version   string
	serverIDs map[uint32]bool
	// startSet is the GTID set of --start-gtid (nil for a position start).
	startSet *binlog.GTIDSet
}

// housekeeping reports events that are no transaction of their own.
func housekeeping(t event.Type) bool {
	switch t {
	case event.FormatDescriptionEvent, event.RotateEvent, event.StopEvent,
		event.PreviousGTIDsEvent, event.MariaGTIDListEvent, event.MariaBinlogCheckpointEvent,
		event.HeartbeatEvent, event.HeartbeatEventV2, event.MariaStartEncryptionEvent, event.IncidentEvent:
		return true
	}
	return false
}

// makePlan reads the archive from the start point to the first
// transaction the target leaves out.
func makePlan(ctx context.Context, dir string, ids []age.Identity, start point, startSet *binlog.GTIDSet, until *target) (*plan, error) {
	all, err := backup.Files(dir)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: no binlog files in the archive", dir)
	}
	p := &plan{dir: dir, ids: ids, serverIDs: map[uint32]bool{}, startSet: startSet}
	first := 0
	if startSet == nil {
		first = -1
		for i, e := range all {
			if e.Name == start.file {
				first = i
			}
		}
		if first < 0 {
			return nil, fmt.Errorf("--start-file %s is not in the archive (it holds %s to %s)", start.file, all[0].Name, all[len(all)-1].Name)
		}
	} else {
		// Skip the files every transaction of which the set holds.
		for i := 0; i+1 < len(all); i++ {
			if all[i].LastGTID == "" {
				break
			}
			last, err := binlog.ParseGTID(all[i].LastGTID)
			if err != nil || !startSet.Contains(last) {
				break
			}
			if last.Flavor == event.MySQL {
				next, err := binlog.ParseGTIDSet(all[i+1].PreviousGTIDs)
				if err != nil || all[i+1].PreviousGTIDs == "" || !startSet.ContainsSet(next) {
					break
				}
			}
			first = i + 1
		}
	}
	found := false // the start point was met
	for i := first; i < len(all); i++ {
		e := all[i]
		if i > first {
			prev := all[i-1]
			if e.Gap != nil {
				return nil, fmt.Errorf("the archive has a purge gap before %s (missing: %s): a restore cannot cross it", e.Name, e.Gap.Missing)
			}
			_, pn := splitNum(prev.Name)
			_, en := splitNum(e.Name)
			if pn >= 0 && en != pn+1 {
				return nil, fmt.Errorf("the archive has no file between %s and %s: a restore cannot cross the hole", prev.Name, e.Name)
			}
		}
		p.entries = append(p.entries, e)
		from := uint64(0)
		if !found && startSet == nil {
			from = start.pos
		}
		done, err := p.scanFile(ctx, e, from, &found, start, until)
		if err != nil {
			return nil, err
		}
		if done {
			return p, nil
		}
	}
	if !found {
		if startSet != nil {
			return nil, fmt.Errorf("the archive holds no transaction after --start-gtid %s (it ends at %s)", startSet, p.endPoint())
		}
		return nil, fmt.Errorf("--start-position %s is past the end of the archive (%s)", start, p.endPoint())
	}
	lastTx := "no transaction after the start point"
	if p.last != nil {
		lastTx = "its last transaction is at " + p.last.String()
	}
	return nil, fmt.Errorf("the archive ends at %s (%s) before %s: transactions after it are not in the archive (restore to a point the archive covers, or --until-position %s)",
		p.endPoint(), lastTx, until, p.endPoint())
}

// endPoint is where the scanned files end.
func (p *plan) endPoint() point {
	if p.last != nil {
		return point{p.last.at.file, p.last.end}
	}
	if n := len(p.entries); n > 0 {
		return point{p.entries[n-1].Name, p.entries[n-1].Size}
	}
	return point{}
}

// splitNum returns a binlog name's numeric extension (-1 when none).
func splitNum(name string) (string, int64) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return name, -1
	}
	var n int64
	for _, c := range name[i+1:] {
		if c < '0' || c > '9' {
			return name, -1
		}
		n = n*10 + int64(c-'0')
	}
	return name[:i], n
}

// scanFile reads the transactions of one file from offset from. It
// reports done once the target is reached.
func (p *plan) scanFile(ctx context.Context, e backup.Entry, from uint64, found *bool, start point, until *target) (bool, error) {
	src, err := backup.OpenFile(filepath.Join(p.dir, e.Stored), from, p.ids...)
	if err != nil {
		return false, err
	}
	defer src.Close()
	r := binlog.NewReader(src, binlog.WithPayloadExpansion(false))
	for tx, err := range r.Transactions(ctx) {
		if err != nil {
			if !e.Complete && errors.Is(err, binlog.ErrTruncated) {
				break // the end of the file being written
			}
			if !*found && from > event.MagicLen {
				return false, fmt.Errorf("--start-position %d of %s is not where a transaction starts (%v)", from, e.Name, err)
			}
			return false, err
		}
		info := &txInfo{at: point{e.Name, tx.Pos}, gtid: tx.GTID, has: tx.HasGTID}
		keep := false
		var lastTS uint32 // header time of the last event: its commit
		for ev, err := range tx.Events() {
			if err != nil {
				if !e.Complete && errors.Is(err, binlog.ErrTruncated) {
					break
				}
				return false, err
			}
			switch b := ev.Body.(type) {
			case *event.FormatDescription:
				if p.version == "" {
					p.version = b.Version()
					p.flavor = b.Flavor()
				}
				p.serverIDs[ev.Header.ServerID] = true
			case *event.GTID:
				// MySQL's own commit time, in microseconds.
				if b.HasCommitTimestamps && b.ImmediateCommitTimestamp != 0 {
					info.commit = time.UnixMicro(int64(b.ImmediateCommitTimestamp))
				}
			}
			if !housekeeping(ev.Header.Type) {
				keep = true
				p.serverIDs[ev.Header.ServerID] = true
			}
			if ev.Header.Timestamp != 0 {
				lastTS = ev.Header.Timestamp
			}
		}
		info.end = tx.EndPos // just past the last event, now that all were read
		if info.commit.IsZero() && lastTS != 0 {
			info.commit = time.Unix(int64(lastTS), 0)
		}
		if !keep {
			continue
		}
		if !tx.Complete {
			// Cut by the end of the archive (the file being written, or
			// the server crashed): never applied.
			return false, nil
		}
		if !*found {
			switch {
			case p.startSet != nil:
				if tx.HasGTID && p.startSet.Contains(tx.GTID) {
					continue
				}
				if !tx.HasGTID {
					return false, fmt.Errorf("%s: a transaction without GTID: --start-gtid needs GTIDs (use --start-file and --start-position)", info.at)
				}
			case tx.Pos != start.pos:
				return false, fmt.Errorf("--start-position %d of %s is not where a transaction starts (the first at or after it starts at %d)", start.pos, start.file, tx.Pos)
			}
			*found = true
			p.start = info.at
		}
		if until.reached(info) {
			p.stop, p.left = info.at, info
			return true, nil
		}
		p.count++
		if p.first == nil {
			p.first = info
		}
		p.last = info
	}
	return false, nil
}

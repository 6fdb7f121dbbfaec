package binlog

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/binlogkit/binlogkit/event"
)

// GTIDSelection is a set of transactions named by their GTIDs: the meaning
// mysqlbinlog gives --include-gtids and --exclude-gtids, and the one
// GTIDFilter selects by. Every GTID in it names one transaction.
//
// It differs from a GTIDSet for MariaDB only. A GTIDSet's MariaDB part is a
// replication position (0-1-100 holds seq_no 1 to 100 of domain 0, as
// gtid_slave_pos does), right for DialConfig and checkpoints; in a
// selection, 0-1-100 names the one transaction of domain 0, server 1 and
// seq_no 100 (the server id is part of the name, as in the binlog), and a
// range names several.
//
// The text form (ParseGTIDSelection, String) is a comma list of
//
//   - MySQL: uuid:interval[:interval…][:tag:interval…], an interval being
//     n or n-m (inclusive), as in a GTID set:
//     "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:11, 3e11fa47-…:tag_a:1-3";
//   - MariaDB: domain-server-seq, one transaction ("0-1-8"), or
//     domain-server-first..last, the transactions of that domain and server
//     with seq_no first to last, inclusive ("0-1-5..8").
//
// A list may name the same source several times ("0-1-7,0-1-8") and mix
// flavors. The zero value is an empty selection ready to use; a
// GTIDSelection is not safe for concurrent mutation.
type GTIDSelection struct {
	mysql GTIDSet
	maria map[gtidMariaSource][]gtidSeqRange
}

// gtidMariaSource is a MariaDB domain and server id.
type gtidMariaSource struct{ domain, server uint32 }

// gtidSeqRange is an inclusive seq_no range.
type gtidSeqRange struct{ first, last uint64 }

// ParseGTIDSelection parses the text form described at GTIDSelection.
// Whitespace around elements is ignored; an empty (or all-blank) string is
// an empty selection.
func ParseGTIDSelection(s string) (*GTIDSelection, error) {
	sel := &GTIDSelection{}
	if strings.TrimSpace(s) == "" {
		return sel, nil
	}
	for i, elem := range strings.Split(s, ",") {
		e := strings.TrimSpace(elem)
		var err error
		switch {
		case e == "":
			return nil, fmt.Errorf("binlog: bad GTID selection %q: empty element %d", gtidShort(s), i+1)
		case strings.Contains(e, ":") || gtidLooksUUID(e):
			if err = sel.mysql.gtidFix(event.MySQL); err == nil {
				err = sel.mysql.gtidParseMySQLElem(e)
			}
		default:
			err = sel.parseMaria(e)
		}
		if err != nil {
			return nil, fmt.Errorf("binlog: bad GTID selection %q: element %d %q: %w", gtidShort(s), i+1, gtidShort(e), err)
		}
	}
	return sel, nil
}

// parseMaria adds "d-s-n" or "d-s-first..last".
func (s *GTIDSelection) parseMaria(e string) error {
	head, last, isRange := strings.Cut(e, "..")
	d, sv, first, err := gtidParseMaria(head)
	if err != nil {
		if isRange {
			return fmt.Errorf("%q is not domain-server-first..last", gtidShort(e))
		}
		return fmt.Errorf("%q is not domain-server-seq (or domain-server-first..last)", gtidShort(e))
	}
	end := first
	if isRange {
		last = strings.TrimSpace(last)
		if last == "" || last[0] < '0' || last[0] > '9' {
			return fmt.Errorf("%q is not domain-server-first..last", gtidShort(e))
		}
		if end, err = strconv.ParseUint(last, 10, 64); err != nil {
			return fmt.Errorf("%q: number %q out of range", gtidShort(e), last)
		}
		if end < first {
			return fmt.Errorf("range %q ends before it starts", gtidShort(e))
		}
	}
	s.addMaria(gtidMariaSource{d, sv}, gtidSeqRange{first, end})
	return nil
}

// addMaria adds r to src's ranges, merging overlapping and touching ones.
func (s *GTIDSelection) addMaria(src gtidMariaSource, r gtidSeqRange) {
	if s.maria == nil {
		s.maria = make(map[gtidMariaSource][]gtidSeqRange)
	}
	rs := s.maria[src]
	// First range that ends at or after r.first-1 (touching ranges merge).
	i, _ := slices.BinarySearchFunc(rs, r.first, func(x gtidSeqRange, v uint64) int {
		if x.last < v && x.last+1 < v {
			return -1
		}
		return 1
	})
	j := i
	for j < len(rs) && (rs[j].first <= r.last || r.last+1 == rs[j].first) {
		r.first = min(r.first, rs[j].first)
		r.last = max(r.last, rs[j].last)
		j++
	}
	s.maria[src] = slices.Replace(rs, i, j, r)
}

// Add adds the transaction g names. It fails only for a GTID of no flavor
// or a MySQL GTID whose number is out of range.
func (s *GTIDSelection) Add(g GTID) error {
	switch g.Flavor {
	case event.MariaDB:
		s.addMaria(gtidMariaSource{g.Domain, g.ServerID}, gtidSeqRange{g.Seq, g.Seq})
		return nil
	case event.MySQL:
		return s.mysql.Add(g)
	}
	return fmt.Errorf("binlog: a GTID of flavor %v cannot be added to a selection", g.Flavor)
}

// Contains reports whether the selection names g's transaction. A nil
// selection contains nothing.
func (s *GTIDSelection) Contains(g GTID) bool {
	if s == nil {
		return false
	}
	if g.Flavor != event.MariaDB {
		return s.mysql.Contains(g)
	}
	rs := s.maria[gtidMariaSource{g.Domain, g.ServerID}]
	i, found := slices.BinarySearchFunc(rs, g.Seq, func(x gtidSeqRange, v uint64) int {
		switch {
		case x.last < v:
			return -1
		case x.first > v:
			return 1
		}
		return 0
	})
	return found && i < len(rs)
}

// IsEmpty reports whether the selection names no transaction.
func (s *GTIDSelection) IsEmpty() bool {
	return s == nil || s.mysql.IsEmpty() && len(s.maria) == 0
}

// String returns the selection in its text form: the MySQL part as
// GTIDSet.String writes it, then the MariaDB transactions by domain, server
// and seq_no, ranges written first..last. ParseGTIDSelection reads it back.
func (s *GTIDSelection) String() string {
	if s == nil {
		return ""
	}
	var b strings.Builder
	if !s.mysql.IsEmpty() {
		b.WriteString(s.mysql.String())
	}
	srcs := make([]gtidMariaSource, 0, len(s.maria))
	for src := range s.maria {
		srcs = append(srcs, src)
	}
	slices.SortFunc(srcs, func(a, b gtidMariaSource) int {
		if a.domain != b.domain {
			return cmpU32(a.domain, b.domain)
		}
		return cmpU32(a.server, b.server)
	})
	var buf []byte
	for _, src := range srcs {
		for _, r := range s.maria[src] {
			if b.Len() > 0 {
				b.WriteByte(',')
			}
			buf = event.AppendMariaGTID(buf[:0], src.domain, src.server, r.first)
			if r.last != r.first {
				buf = append(buf, ".."...)
				buf = strconv.AppendUint(buf, r.last, 10)
			}
			b.Write(buf)
		}
	}
	return b.String()
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

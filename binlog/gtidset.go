package binlog

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/binlogkit/binlogkit/event"
)

// GTID is one global transaction identifier, of either flavor:
//
//   - MySQL: UUID, an optional Tag (MySQL 8.3+, lower case) and GNO; text
//     "3e11fa47-71ca-11e1-9e33-c80aa9429562:23" or "…:tag:23".
//   - MariaDB: Domain, ServerID and Seq; text "0-1-100".
//
// Flavor says which fields are meaningful.
type GTID struct {
	Flavor event.Flavor

	UUID [16]byte
	Tag  string
	GNO  uint64

	Domain   uint32
	ServerID uint32
	Seq      uint64
}

// gtidMaxGNO is the largest GNO MySQL accepts (GNO_END - 1 = 2^63 - 2).
const gtidMaxGNO = 1<<63 - 2

// gtidMaxTag is the longest tag MySQL accepts.
const gtidMaxTag = 32

// ParseGTID parses one GTID: "uuid:gno", "uuid:tag:gno" (MySQL) or
// "domain-server-seq" (MariaDB). Surrounding whitespace is ignored; UUID and
// tag are case-insensitive.
func ParseGTID(s string) (GTID, error) {
	t := strings.TrimSpace(s)
	if !strings.Contains(t, ":") {
		d, sv, q, err := gtidParseMaria(t)
		if err != nil {
			return GTID{}, fmt.Errorf("binlog: bad GTID %q: %w", s, err)
		}
		return GTID{Flavor: event.MariaDB, Domain: d, ServerID: sv, Seq: q}, nil
	}
	parts := strings.Split(t, ":")
	g := GTID{Flavor: event.MySQL}
	var err error
	switch len(parts) {
	case 2:
	case 3:
		g.Tag, err = gtidParseTag(parts[1])
		if err != nil {
			return GTID{}, fmt.Errorf("binlog: bad GTID %q: %w", s, err)
		}
	default:
		return GTID{}, fmt.Errorf("binlog: bad GTID %q: want uuid:gno or uuid:tag:gno", s)
	}
	if g.UUID, err = gtidParseUUID(strings.TrimSpace(parts[0])); err != nil {
		return GTID{}, fmt.Errorf("binlog: bad GTID %q: %w", s, err)
	}
	if g.GNO, err = gtidParseGNO(strings.TrimSpace(parts[len(parts)-1])); err != nil {
		return GTID{}, fmt.Errorf("binlog: bad GTID %q: %w", s, err)
	}
	return g, nil
}

// String returns the GTID in its server's text form.
func (g GTID) String() string {
	var b []byte
	if g.Flavor == event.MariaDB {
		b = event.AppendMariaGTID(make([]byte, 0, 32), g.Domain, g.ServerID, g.Seq)
		return string(b)
	}
	b = event.AppendUUID(make([]byte, 0, 64), g.UUID)
	b = append(b, ':')
	if g.Tag != "" {
		b = append(b, g.Tag...)
		b = append(b, ':')
	}
	b = strconv.AppendUint(b, g.GNO, 10)
	return string(b)
}

// GTIDFromEvent returns the GTID a GTID_LOG_EVENT or GTID_TAGGED_LOG_EVENT
// body (MySQL) or a MariaDB GTID_EVENT body carries; serverID is the event's
// header server id, which completes a MariaDB GTID. It returns false for an
// ANONYMOUS_GTID and for every other body.
func GTIDFromEvent(b event.Body, serverID uint32) (GTID, bool) {
	switch v := b.(type) {
	case *event.GTID:
		if v.Type == event.AnonymousGTIDEvent || v.GNO <= 0 {
			return GTID{}, false
		}
		return GTID{Flavor: event.MySQL, UUID: v.SID, Tag: strings.ToLower(string(v.Tag)), GNO: uint64(v.GNO)}, true
	case *event.MariaGTID:
		return GTID{Flavor: event.MariaDB, Domain: v.Domain, ServerID: serverID, Seq: v.SeqNo}, true
	}
	return GTID{}, false
}

// GTIDSet is a set of GTIDs of one flavor, fixed by the first GTID or set
// added or parsed; the zero value is an empty set ready to use.
//
// MySQL semantics: a set of individual transactions, kept per (UUID, tag)
// as sorted, merged intervals. Contains(g) reports whether g's GNO lies in one
// of the intervals of g's UUID and tag.
//
// MariaDB semantics: a replication position, one GTID per domain (the last
// seq_no applied there, with the server id that wrote it). Contains(g) is
// true when the set's seq_no for g's domain is >= g.Seq, whatever the server
// id; Add keeps the higher seq_no per domain.
//
// A GTIDSet is not safe for concurrent mutation.
type GTIDSet struct {
	flavor event.Flavor
	fixed  bool
	mysql  map[gtidTSID][]gtidInterval
	maria  map[uint32]gtidMariaPos
}

// gtidTSID is a MySQL transaction source id: UUID and tag.
type gtidTSID struct {
	uuid [16]byte
	tag  string
}

// gtidInterval is a half-open GNO interval [start, end).
type gtidInterval struct{ start, end uint64 }

// gtidMariaPos is a MariaDB domain's position.
type gtidMariaPos struct {
	server uint32
	seq    uint64
}

// Flavor returns the set's flavor: the flavor of the first GTID added or
// parsed, FlavorUnknown before.
func (s *GTIDSet) Flavor() event.Flavor { return s.flavor }

// gtidFix fixes the flavor, or reports a mismatch.
func (s *GTIDSet) gtidFix(f event.Flavor) error {
	if f != event.MySQL && f != event.MariaDB {
		return fmt.Errorf("binlog: a GTID of flavor %v cannot be added to a set", f)
	}
	if s.fixed {
		if s.flavor != f {
			return fmt.Errorf("binlog: cannot mix a %v GTID into a %v GTID set", f, s.flavor)
		}
		return nil
	}
	s.flavor, s.fixed = f, true
	if f == event.MariaDB {
		s.maria = map[uint32]gtidMariaPos{}
	} else {
		s.mysql = map[gtidTSID][]gtidInterval{}
	}
	return nil
}

// ParseGTIDSet parses a GTID set:
//
//   - MySQL: comma-separated "uuid:interval[:interval…][:tag:interval…]…"
//     entries, an interval being "n" or "n-m" (inclusive), e.g.
//     "3E11FA47-71CA-11E1-9E33-C80AA9429562:1-5:11-18, uuid:1-4:aaaa:1:abc:1-3".
//     Whitespace and newlines around tokens are ignored; UUIDs and tags are
//     case-insensitive; a tag is a letter or underscore followed by letters,
//     digits and underscores, at most 32 in all. The same UUID may appear
//     several times; overlapping intervals merge.
//   - MariaDB: comma-separated "domain-server-seq", at most one per domain.
//
// An empty (or all-blank) string is an empty set of no fixed flavor.
func ParseGTIDSet(s string) (*GTIDSet, error) {
	set := &GTIDSet{}
	if strings.TrimSpace(s) == "" {
		return set, nil
	}
	for i, elem := range strings.Split(s, ",") {
		e := strings.TrimSpace(elem)
		if e == "" {
			return nil, fmt.Errorf("binlog: bad GTID set %q: empty element %d", gtidShort(s), i+1)
		}
		maria := !strings.Contains(e, ":") && !gtidLooksUUID(e)
		var err error
		if maria {
			err = set.gtidFix(event.MariaDB)
			if err == nil {
				var d, sv uint32
				var q uint64
				d, sv, q, err = gtidParseMaria(e)
				if err == nil {
					if _, dup := set.maria[d]; dup {
						err = fmt.Errorf("domain %d appears twice", d)
					}
					set.maria[d] = gtidMariaPos{sv, q}
				}
			}
		} else {
			err = set.gtidFix(event.MySQL)
			if err == nil {
				err = set.gtidParseMySQLElem(e)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("binlog: bad GTID set %q: element %d %q: %w", gtidShort(s), i+1, gtidShort(e), err)
		}
	}
	return set, nil
}

// gtidShort cuts s for error messages.
func gtidShort(s string) string {
	if len(s) > 80 {
		return s[:77] + "..."
	}
	return s
}

func (s *GTIDSet) gtidParseMySQLElem(e string) error {
	parts := strings.Split(e, ":")
	u, err := gtidParseUUID(strings.TrimSpace(parts[0]))
	if err != nil {
		return err
	}
	key := gtidTSID{uuid: u}
	for _, p := range parts[1:] {
		p = strings.TrimSpace(p)
		if p == "" {
			return errors.New("empty interval")
		}
		if c := p[0]; c >= '0' && c <= '9' {
			a, b, err := gtidParseInterval(p)
			if err != nil {
				return err
			}
			s.gtidAddInterval(key, a, b+1)
			continue
		}
		tag, err := gtidParseTag(p)
		if err != nil {
			return err
		}
		key.tag = tag
	}
	return nil
}

func gtidParseInterval(p string) (start, last uint64, err error) {
	a, b, rng := strings.Cut(p, "-")
	if start, err = gtidParseGNO(strings.TrimSpace(a)); err != nil {
		return 0, 0, err
	}
	last = start
	if rng {
		if last, err = gtidParseGNO(strings.TrimSpace(b)); err != nil {
			return 0, 0, err
		}
		if last < start {
			return 0, 0, fmt.Errorf("interval %q ends before it starts", p)
		}
	}
	return start, last, nil
}

func gtidParseGNO(s string) (uint64, error) {
	for i := 0; i < len(s) || i == 0; i++ {
		if i == len(s) || s[i] < '0' || s[i] > '9' {
			return 0, fmt.Errorf("transaction number %q is not a number", gtidShort(s))
		}
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > gtidMaxGNO {
		return 0, fmt.Errorf("transaction number %q out of range 1..%d", s, uint64(gtidMaxGNO))
	}
	if n == 0 {
		return 0, errors.New("transaction number 0: numbers start at 1")
	}
	return n, nil
}

// gtidParseTag validates and lower-cases a tag.
func gtidParseTag(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", errors.New("empty tag")
	}
	if len(s) > gtidMaxTag {
		return "", fmt.Errorf("tag %q longer than %d characters", gtidShort(s), gtidMaxTag)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || i > 0 && c >= '0' && c <= '9'
		if !ok {
			return "", fmt.Errorf("tag %q: character %q not allowed (letters, digits, underscore; not starting with a digit)", s, c)
		}
	}
	return strings.ToLower(s), nil
}

func gtidLooksUUID(s string) bool {
	_, err := gtidParseUUID(s)
	return err == nil
}

// gtidParseUUID accepts the 36-character form, the same in braces, and 32
// hex digits.
func gtidParseUUID(s string) ([16]byte, error) {
	var u [16]byte
	t := s
	if len(t) == 38 && t[0] == '{' && t[37] == '}' {
		t = t[1:37]
	}
	switch len(t) {
	case 36:
		if t[8] != '-' || t[13] != '-' || t[18] != '-' || t[23] != '-' {
			return u, fmt.Errorf("bad UUID %q", gtidShort(s))
		}
		t = t[:8] + t[9:13] + t[14:18] + t[19:23] + t[24:]
	case 32:
	default:
		return u, fmt.Errorf("bad UUID %q", gtidShort(s))
	}
	for i := range u {
		hi, ok1 := gtidHex(t[2*i])
		lo, ok2 := gtidHex(t[2*i+1])
		if !ok1 || !ok2 {
			return u, fmt.Errorf("bad UUID %q", gtidShort(s))
		}
		u[i] = hi<<4 | lo
	}
	return u, nil
}

func gtidHex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func gtidParseMaria(s string) (domain, server uint32, seq uint64, err error) {
	f := strings.Split(s, "-")
	if len(f) != 3 {
		return 0, 0, 0, fmt.Errorf("%q is not domain-server-seq", gtidShort(s))
	}
	var v [3]uint64
	for i, p := range f {
		p = strings.TrimSpace(p)
		bits := 32
		if i == 2 {
			bits = 64
		}
		if p == "" || p[0] < '0' || p[0] > '9' {
			return 0, 0, 0, fmt.Errorf("%q is not domain-server-seq", gtidShort(s))
		}
		if v[i], err = strconv.ParseUint(p, 10, bits); err != nil {
			return 0, 0, 0, fmt.Errorf("%q: number %q out of range", gtidShort(s), p)
		}
	}
	return uint32(v[0]), uint32(v[1]), v[2], nil
}

// gtidAddInterval adds [a, b) to key's intervals, merging.
func (s *GTIDSet) gtidAddInterval(key gtidTSID, a, b uint64) {
	ivs := s.mysql[key]
	// First interval whose end reaches a (touching intervals merge).
	i, _ := slices.BinarySearchFunc(ivs, a, func(iv gtidInterval, a uint64) int {
		if iv.end < a {
			return -1
		}
		return 1
	})
	j := i
	for j < len(ivs) && ivs[j].start <= b {
		a = min(a, ivs[j].start)
		b = max(b, ivs[j].end)
		j++
	}
	ivs = slices.Replace(ivs, i, j, gtidInterval{a, b})
	s.mysql[key] = ivs
}

// Add adds g. It fails only when g's flavor differs from the set's.
func (s *GTIDSet) Add(g GTID) error {
	if err := s.gtidFix(g.Flavor); err != nil {
		return err
	}
	if g.Flavor == event.MariaDB {
		if cur, ok := s.maria[g.Domain]; !ok || g.Seq > cur.seq {
			s.maria[g.Domain] = gtidMariaPos{g.ServerID, g.Seq}
		}
		return nil
	}
	if g.GNO == 0 || g.GNO > gtidMaxGNO {
		return fmt.Errorf("binlog: GTID %v: transaction number out of range", g)
	}
	s.gtidAddInterval(gtidTSID{g.UUID, strings.ToLower(g.Tag)}, g.GNO, g.GNO+1)
	return nil
}

// AddSet adds every GTID of o (for MariaDB: the higher position per domain).
// It fails only when the flavors differ; an empty o never fails.
func (s *GTIDSet) AddSet(o *GTIDSet) error {
	if o == nil || o.IsEmpty() {
		return nil
	}
	if err := s.gtidFix(o.flavor); err != nil {
		return err
	}
	if o.flavor == event.MariaDB {
		for d, p := range o.maria {
			if cur, ok := s.maria[d]; !ok || p.seq > cur.seq {
				s.maria[d] = p
			}
		}
		return nil
	}
	for k, ivs := range o.mysql {
		for _, iv := range ivs {
			s.gtidAddInterval(k, iv.start, iv.end)
		}
	}
	return nil
}

// Contains reports whether g is in the set (MariaDB: whether the set's
// position in g's domain has reached g.Seq).
func (s *GTIDSet) Contains(g GTID) bool {
	if s == nil || !s.fixed || g.Flavor != s.flavor {
		return false
	}
	if g.Flavor == event.MariaDB {
		p, ok := s.maria[g.Domain]
		return ok && p.seq >= g.Seq
	}
	return gtidIntervalsContain(s.mysql[gtidTSID{g.UUID, strings.ToLower(g.Tag)}], g.GNO, g.GNO+1)
}

// gtidIntervalsContain reports whether [a, b) lies inside one of ivs.
func gtidIntervalsContain(ivs []gtidInterval, a, b uint64) bool {
	i, found := slices.BinarySearchFunc(ivs, a, func(iv gtidInterval, a uint64) int {
		if iv.start <= a {
			if iv.end > a {
				return 0
			}
			return -1
		}
		return 1
	})
	return found && ivs[i].end >= b
}

// ContainsSet reports whether every GTID of o is in s (MariaDB: whether s
// has reached o's position in every domain of o). An empty o is contained in
// every set.
func (s *GTIDSet) ContainsSet(o *GTIDSet) bool {
	if o == nil || o.IsEmpty() {
		return true
	}
	if s == nil || !s.fixed || s.flavor != o.flavor {
		return false
	}
	if o.flavor == event.MariaDB {
		for d, p := range o.maria {
			if q, ok := s.maria[d]; !ok || q.seq < p.seq {
				return false
			}
		}
		return true
	}
	for k, ivs := range o.mysql {
		mine := s.mysql[k]
		for _, iv := range ivs {
			if !gtidIntervalsContain(mine, iv.start, iv.end) {
				return false
			}
		}
	}
	return true
}

// Clone returns a deep copy of s.
func (s *GTIDSet) Clone() *GTIDSet {
	c := &GTIDSet{flavor: s.flavor, fixed: s.fixed}
	if s.mysql != nil {
		c.mysql = make(map[gtidTSID][]gtidInterval, len(s.mysql))
		for k, v := range s.mysql {
			c.mysql[k] = slices.Clone(v)
		}
	}
	if s.maria != nil {
		c.maria = make(map[uint32]gtidMariaPos, len(s.maria))
		for k, v := range s.maria {
			c.maria[k] = v
		}
	}
	return c
}

// IsEmpty reports whether s holds no GTID.
func (s *GTIDSet) IsEmpty() bool {
	if s == nil {
		return true
	}
	for _, ivs := range s.mysql {
		if len(ivs) > 0 {
			return false
		}
	}
	return len(s.maria) == 0
}

// Equal reports whether s and o hold the same GTIDs (MariaDB: the same
// position, server ids included). Two empty sets are equal whatever their
// flavor.
func (s *GTIDSet) Equal(o *GTIDSet) bool {
	if s.IsEmpty() || o.IsEmpty() {
		return s.IsEmpty() && o.IsEmpty()
	}
	if s.flavor != o.flavor {
		return false
	}
	if s.flavor == event.MariaDB {
		if len(s.maria) != len(o.maria) {
			return false
		}
		for d, p := range s.maria {
			if q, ok := o.maria[d]; !ok || p != q {
				return false
			}
		}
		return true
	}
	n := 0
	for k, ivs := range s.mysql {
		if len(ivs) == 0 {
			continue
		}
		n++
		if !slices.Equal(ivs, o.mysql[k]) {
			return false
		}
	}
	for _, ivs := range o.mysql {
		if len(ivs) > 0 {
			n--
		}
	}
	return n == 0
}

// String returns the set in canonical form. MySQL: UUIDs in lower case and
// ascending order, each once, its untagged intervals first and then each tag
// in ascending order with its intervals, intervals merged and inclusive
// ("a…:1-5:11-18:aaaa:1:abc:1-3,b…:7"); entries separated by "," (MySQL
// itself prints ",\n" between UUIDs). MariaDB: "domain-server-seq" entries in
// ascending domain order, separated by ",".
func (s *GTIDSet) String() string {
	if s.IsEmpty() {
		return ""
	}
	var b []byte
	if s.flavor == event.MariaDB {
		doms := make([]uint32, 0, len(s.maria))
		for d := range s.maria {
			doms = append(doms, d)
		}
		slices.Sort(doms)
		for i, d := range doms {
			if i > 0 {
				b = append(b, ',')
			}
			p := s.maria[d]
			b = event.AppendMariaGTID(b, d, p.server, p.seq)
		}
		return string(b)
	}
	keys := s.gtidSortedKeys()
	for i, k := range keys {
		switch {
		case i == 0 || keys[i-1].uuid != k.uuid:
			if i > 0 {
				b = append(b, ',')
			}
			b = event.AppendUUID(b, k.uuid)
			if k.tag != "" {
				b = append(b, ':')
				b = append(b, k.tag...)
			}
		default:
			b = append(b, ':')
			b = append(b, k.tag...)
		}
		for _, iv := range s.mysql[k] {
			b = append(b, ':')
			b = strconv.AppendUint(b, iv.start, 10)
			if iv.end-1 != iv.start {
				b = append(b, '-')
				b = strconv.AppendUint(b, iv.end-1, 10)
			}
		}
	}
	return string(b)
}

// AddPreviousGTIDs adds the GTIDs of a PREVIOUS_GTIDS_LOG_EVENT body.
func (s *GTIDSet) AddPreviousGTIDs(p *event.PreviousGTIDs) error {
	it := p.Iter()
	for it.Next() {
		if err := s.gtidFix(event.MySQL); err != nil {
			return err
		}
		iv := it.Interval()
		s.gtidAddInterval(gtidTSID{iv.SID, strings.ToLower(string(iv.Tag))}, iv.Start, iv.End)
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("binlog: PREVIOUS_GTIDS: %w", err)
	}
	return nil
}

// AddMariaGTIDList adds the GTIDs of a MariaDB GTID_LIST_EVENT body, keeping
// the higher seq_no per domain.
func (s *GTIDSet) AddMariaGTIDList(l *event.MariaGTIDList) error {
	for e := range l.All() {
		if err := s.Add(GTID{Flavor: event.MariaDB, Domain: e.Domain, ServerID: e.ServerID, Seq: e.SeqNo}); err != nil {
			return err
		}
	}
	return nil
}

// PreviousGTIDs encodes a MySQL set as a PREVIOUS_GTIDS_LOG_EVENT body, as
// MySQL does: entries sorted by UUID and tag, in the tagged format (MySQL
// 8.3+) only when the set holds a tagged GTID. For a MariaDB set, build a
// GTID_LIST instead; it returns an error.
func (s *GTIDSet) PreviousGTIDs() (*event.PreviousGTIDs, error) {
	if s.fixed && s.flavor != event.MySQL && !s.IsEmpty() {
		return nil, errors.New("binlog: PREVIOUS_GTIDS holds MySQL GTIDs; this set is MariaDB's")
	}
	keys := s.gtidSortedKeys()
	p := &event.PreviousGTIDs{NSIDs: uint64(len(keys))}
	for _, k := range keys {
		if k.tag != "" {
			p.Tagged = true
		}
	}
	var b []byte
	for _, k := range keys {
		b = append(b, k.uuid[:]...)
		if p.Tagged {
			// A tag has at most 32 bytes: its varlen size is one byte.
			b = append(b, byte(len(k.tag)<<1))
			b = append(b, k.tag...)
		}
		ivs := s.mysql[k]
		b = gtidAppendU64(b, uint64(len(ivs)))
		for _, iv := range ivs {
			b = gtidAppendU64(b, iv.start)
			b = gtidAppendU64(b, iv.end)
		}
	}
	p.Data = b
	return p, nil
}

func gtidAppendU64(b []byte, v uint64) []byte {
	return append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24), byte(v>>32), byte(v>>40), byte(v>>48), byte(v>>56))
}

// gtidSortedKeys returns the MySQL set's (UUID, tag) keys with intervals, in
// MySQL's order: by UUID bytes, then tag, the empty tag first.
func (s *GTIDSet) gtidSortedKeys() []gtidTSID {
	keys := make([]gtidTSID, 0, len(s.mysql))
	for k, ivs := range s.mysql {
		if len(ivs) > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y gtidTSID) int {
		if c := bytes.Compare(x.uuid[:], y.uuid[:]); c != 0 {
			return c
		}
		return strings.Compare(x.tag, y.tag)
	})
	return keys
}

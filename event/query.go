package event

import (
	"bytes"
	"compress/zlib"
	"iter"

	"github.com/binlogkit/binlogkit/internal/bin"
)

// StatusVar is the code of a QUERY_EVENT status variable.
type StatusVar uint8

// Status variable codes written by MySQL (0–20) and MariaDB (128–131).
const (
	QFlags2                       StatusVar = 0   // 4 bytes: session option bits
	QSQLMode                      StatusVar = 1   // 8 bytes
	QCatalog                      StatusVar = 2   // length, catalog, NUL (MySQL 5.0.0–5.0.3)
	QAutoIncrement                StatusVar = 3   // 2+2 bytes: increment, offset
	QCharset                      StatusVar = 4   // 3×2 bytes: client charset, collation_connection, collation_server
	QTimeZone                     StatusVar = 5   // length + name
	QCatalogNZ                    StatusVar = 6   // length + catalog
	QLCTimeNames                  StatusVar = 7   // 2 bytes
	QCharsetDatabase              StatusVar = 8   // 2 bytes
	QTableMapForUpdate            StatusVar = 9   // 8 bytes
	QMasterDataWritten            StatusVar = 10  // 4 bytes
	QInvoker                      StatusVar = 11  // length + user, length + host
	QUpdatedDBNames               StatusVar = 12  // count, then count NUL-terminated names (none when count > 16)
	QMicroseconds                 StatusVar = 13  // 3 bytes
	QCommitTS                     StatusVar = 14  // 8 bytes (MySQL 5.7 milestones only)
	QCommitTS2                    StatusVar = 15  // 2×8 bytes (MySQL 5.7 milestones only)
	QExplicitDefaultsForTimestamp StatusVar = 16  // 1 byte
	QDDLLoggedWithXID             StatusVar = 17  // 8 bytes
	QDefaultCollationForUTF8MB4   StatusVar = 18  // 2 bytes
	QSQLRequirePrimaryKey         StatusVar = 19  // 1 byte
	QDefaultTableEncryption       StatusVar = 20  // 1 byte
	QHRNow                        StatusVar = 128 // MariaDB: 3 bytes, microseconds of the statement's NOW()
	QXID                          StatusVar = 129 // MariaDB: 8 bytes
	QGTIDFlags3                   StatusVar = 130 // MariaDB: 1 byte flags, + 8 bytes sequence number for COMMIT/ROLLBACK ALTER
	QCharacterSetCollations       StatusVar = 131 // MariaDB 11.2+: count, then count × (2-byte charset, 2-byte collation)
)

var statusVarNames = map[StatusVar]string{
	QFlags2: "Q_FLAGS2_CODE", QSQLMode: "Q_SQL_MODE_CODE", QCatalog: "Q_CATALOG_CODE",
	QAutoIncrement: "Q_AUTO_INCREMENT", QCharset: "Q_CHARSET_CODE", QTimeZone: "Q_TIME_ZONE_CODE",
	QCatalogNZ: "Q_CATALOG_NZ_CODE", QLCTimeNames: "Q_LC_TIME_NAMES_CODE",
	QCharsetDatabase: "Q_CHARSET_DATABASE_CODE", QTableMapForUpdate: "Q_TABLE_MAP_FOR_UPDATE_CODE",
	QMasterDataWritten: "Q_MASTER_DATA_WRITTEN_CODE", QInvoker: "Q_INVOKER",
	QUpdatedDBNames: "Q_UPDATED_DB_NAMES", QMicroseconds: "Q_MICROSECONDS", QCommitTS: "Q_COMMIT_TS",
	QCommitTS2: "Q_COMMIT_TS2", QExplicitDefaultsForTimestamp: "Q_EXPLICIT_DEFAULTS_FOR_TIMESTAMP",
	QDDLLoggedWithXID: "Q_DDL_LOGGED_WITH_XID", QDefaultCollationForUTF8MB4: "Q_DEFAULT_COLLATION_FOR_UTF8MB4",
	QSQLRequirePrimaryKey: "Q_SQL_REQUIRE_PRIMARY_KEY", QDefaultTableEncryption: "Q_DEFAULT_TABLE_ENCRYPTION",
	QHRNow: "Q_HRNOW", QXID: "Q_XID", QGTIDFlags3: "Q_GTID_FLAGS3",
	QCharacterSetCollations: "Q_CHARACTER_SET_COLLATIONS",
}

// String returns the server's name for the code (e.g. "Q_SQL_MODE_CODE"),
// or "Q_CODE_<n>" for a code this package does not know.
func (c StatusVar) String() string {
	if s, ok := statusVarNames[c]; ok {
		return s
	}
	return "Q_CODE_" + itoa(uint64(c))
}

// OverMaxDBs is the Q_UPDATED_DB_NAMES count a server writes when a statement
// touched more databases than it lists (OVER_MAX_DBS_IN_EVENT_MTS); no names
// follow it.
const OverMaxDBs = 254

// maxDBsInEvent is MAX_DBS_IN_EVENT_MTS: a larger count carries no names.
const maxDBsInEvent = 16

// Flags of QGTIDFlags3 that announce the 8-byte start-alter sequence number.
const (
	gtidFlags3CommitAlter   = 4
	gtidFlags3RollbackAlter = 8
)

// maxStatusVars bounds the number of status variables remembered in order.
const maxStatusVars = 32

// QueryStatus holds the status variables of a QUERY_EVENT (and of the events
// derived from it), each decoded into a typed field. Which variables are
// present, and in which order they appeared, is remembered so that a decoded
// event encodes to the same bytes; use Has and Codes to inspect it and Add to
// mark a variable present when building one. Its []byte fields alias the
// decoded bytes.
type QueryStatus struct {
	codes [maxStatusVars]StatusVar
	n     uint8

	Flags2                   uint32 // QFlags2
	SQLMode                  uint64 // QSQLMode
	Catalog                  []byte // QCatalog or QCatalogNZ (without the NUL of QCatalog)
	AutoIncrementIncrement   uint16 // QAutoIncrement
	AutoIncrementOffset      uint16 // QAutoIncrement
	CharsetClient            uint16 // QCharset: character_set_client
	CollationConnection      uint16 // QCharset
	CollationServer          uint16 // QCharset
	TimeZone                 []byte // QTimeZone
	LCTimeNames              uint16 // QLCTimeNames
	CharsetDatabase          uint16 // QCharsetDatabase: collation_database
	TableMapForUpdate        uint64 // QTableMapForUpdate
	MasterDataWritten        uint32 // QMasterDataWritten
	InvokerUser, InvokerHost []byte // QInvoker
	// UpdatedDBCount is the QUpdatedDBNames count: the number of names, or a
	// value above 16 (normally OverMaxDBs) when no names are listed.
	UpdatedDBCount uint8
	// UpdatedDBs is the raw QUpdatedDBNames list: UpdatedDBCount names, each
	// followed by a NUL. Iterate it with UpdatedDBNames.
	UpdatedDBs                   []byte
	Microseconds                 uint32    // QMicroseconds
	CommitTS                     uint64    // QCommitTS
	CommitTS2                    [2]uint64 // QCommitTS2: last committed, sequence number
	ExplicitDefaultsForTimestamp uint8     // QExplicitDefaultsForTimestamp
	DDLXID                       uint64    // QDDLLoggedWithXID
	DefaultCollationForUTF8MB4   uint16    // QDefaultCollationForUTF8MB4
	SQLRequirePrimaryKey         uint8     // QSQLRequirePrimaryKey
	DefaultTableEncryption       uint8     // QDefaultTableEncryption
	HRNow                        uint32    // QHRNow (MariaDB)
	XID                          uint64    // QXID (MariaDB)
	GTIDFlags3                   uint8     // QGTIDFlags3 (MariaDB)
	StartAlterSeqNo              uint64    // QGTIDFlags3, when its flags say COMMIT or ROLLBACK ALTER
	// CharsetCollations is the raw QCharacterSetCollations map (MariaDB):
	// 4 bytes per entry, a little-endian charset id then collation id.
	CharsetCollations []byte
	// Unknown holds the status bytes from the first variable this package
	// does not know (its code included) to the end of the block. A code's
	// length cannot be known, so parsing stops there, as servers do.
	Unknown []byte
}

// Has reports whether status variable c is present.
func (s *QueryStatus) Has(c StatusVar) bool {
	for _, x := range s.codes[:s.n] {
		if x == c {
			return true
		}
	}
	return false
}

// Codes returns the codes of the present status variables in the order they
// are encoded (Unknown, if any, comes after them). The slice aliases s.
func (s *QueryStatus) Codes() []StatusVar { return s.codes[:s.n] }

// Add marks status variable c present, appending it to the encoding order.
// It does nothing if c is already present or the order is full.
func (s *QueryStatus) Add(c StatusVar) {
	if s.Has(c) || int(s.n) == maxStatusVars {
		return
	}
	s.codes[s.n] = c
	s.n++
}

// Remove marks status variable c absent.
func (s *QueryStatus) Remove(c StatusVar) {
	j := 0
	for _, x := range s.codes[:s.n] {
		if x != c {
			s.codes[j] = x
			j++
		}
	}
	s.n = uint8(j)
}

// UpdatedDBNames returns an iterator over the QUpdatedDBNames database
// names; the names alias the decoded bytes. It yields nothing when the
// count is over the maximum. It does not allocate.
func (s *QueryStatus) UpdatedDBNames() iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		b := s.UpdatedDBs
		for len(b) > 0 {
			i := bytes.IndexByte(b, 0)
			if i < 0 {
				i = len(b)
			}
			if !yield(b[:i:i]) {
				return
			}
			if i == len(b) {
				return
			}
			b = b[i+1:]
		}
	}
}

// CharsetCollation returns entry i of the QCharacterSetCollations map.
func (s *QueryStatus) CharsetCollation(i int) (charset, collation uint16) {
	e := s.CharsetCollations[4*i : 4*i+4]
	return uint16(bin.Uint(e[:2])), uint16(bin.Uint(e[2:]))
}

// decode parses a status-variable block.
func (s *QueryStatus) decode(b []byte) error {
	r := bin.NewReader(b)
	for r.Len() > 0 {
		start := r.Off
		c := StatusVar(r.U8())
		if s.Has(c) {
			return corruptf("query: status variable %d repeated", c)
		}
		if int(s.n) == maxStatusVars {
			return corruptf("query: too many status variables")
		}
		switch c {
		case QFlags2:
			s.Flags2 = r.U32()
		case QSQLMode:
			s.SQLMode = r.U64()
		case QCatalog:
			s.Catalog = r.Bytes(int(r.U8()))
			if r.U8() != 0 && r.Err() == nil {
				return corruptf("query: catalog not NUL-terminated")
			}
		case QAutoIncrement:
			s.AutoIncrementIncrement = r.U16()
			s.AutoIncrementOffset = r.U16()
		case QCharset:
			s.CharsetClient = r.U16()
			s.CollationConnection = r.U16()
			s.CollationServer = r.U16()
		case QTimeZone:
			s.TimeZone = r.Bytes(int(r.U8()))
		case QCatalogNZ:
			s.Catalog = r.Bytes(int(r.U8()))
		case QLCTimeNames:
			s.LCTimeNames = r.U16()
		case QCharsetDatabase:
			s.CharsetDatabase = r.U16()
		case QTableMapForUpdate:
			s.TableMapForUpdate = r.U64()
		case QMasterDataWritten:
			s.MasterDataWritten = r.U32()
		case QInvoker:
			s.InvokerUser = r.Bytes(int(r.U8()))
			s.InvokerHost = r.Bytes(int(r.U8()))
		case QUpdatedDBNames:
			s.UpdatedDBCount = r.U8()
			if r.Err() == nil && s.UpdatedDBCount <= maxDBsInEvent {
				from := r.Off
				for i := 0; i < int(s.UpdatedDBCount); i++ {
					j := bytes.IndexByte(r.B[r.Off:], 0)
					if j < 0 {
						return corruptf("query: updated database name %d not NUL-terminated", i)
					}
					r.Skip(j + 1)
				}
				s.UpdatedDBs = r.B[from:r.Off:r.Off]
			}
		case QMicroseconds:
			s.Microseconds = r.U24()
		case QCommitTS:
			s.CommitTS = r.U64()
		case QCommitTS2:
			s.CommitTS2[0] = r.U64()
			s.CommitTS2[1] = r.U64()
		case QExplicitDefaultsForTimestamp:
			s.ExplicitDefaultsForTimestamp = r.U8()
		case QDDLLoggedWithXID:
			s.DDLXID = r.U64()
		case QDefaultCollationForUTF8MB4:
			s.DefaultCollationForUTF8MB4 = r.U16()
		case QSQLRequirePrimaryKey:
			s.SQLRequirePrimaryKey = r.U8()
		case QDefaultTableEncryption:
			s.DefaultTableEncryption = r.U8()
		case QHRNow:
			s.HRNow = r.U24()
		case QXID:
			s.XID = r.U64()
		case QGTIDFlags3:
			s.GTIDFlags3 = r.U8()
			if s.GTIDFlags3&(gtidFlags3CommitAlter|gtidFlags3RollbackAlter) != 0 {
				s.StartAlterSeqNo = r.U64()
			}
		case QCharacterSetCollations:
			s.CharsetCollations = r.Bytes(4 * int(r.U8()))
		default:
			s.Unknown = b[start:len(b):len(b)]
			return nil
		}
		if r.Err() != nil {
			return corruptf("query: status variable %d runs past the status block", c)
		}
		s.codes[s.n] = c
		s.n++
	}
	return nil
}

// append appends the status-variable block.
func (s *QueryStatus) append(dst []byte) ([]byte, error) {
	for _, c := range s.codes[:s.n] {
		dst = append(dst, byte(c))
		switch c {
		case QFlags2:
			dst = bin.AppendU32(dst, s.Flags2)
		case QSQLMode:
			dst = bin.AppendU64(dst, s.SQLMode)
		case QCatalog:
			dst = append(appendLen8(dst, s.Catalog), 0)
		case QAutoIncrement:
			dst = bin.AppendU16(dst, s.AutoIncrementIncrement)
			dst = bin.AppendU16(dst, s.AutoIncrementOffset)
		case QCharset:
			dst = bin.AppendU16(dst, s.CharsetClient)
			dst = bin.AppendU16(dst, s.CollationConnection)
			dst = bin.AppendU16(dst, s.CollationServer)
		case QTimeZone:
			dst = appendLen8(dst, s.TimeZone)
		case QCatalogNZ:
			dst = appendLen8(dst, s.Catalog)
		case QLCTimeNames:
			dst = bin.AppendU16(dst, s.LCTimeNames)
		case QCharsetDatabase:
			dst = bin.AppendU16(dst, s.CharsetDatabase)
		case QTableMapForUpdate:
			dst = bin.AppendU64(dst, s.TableMapForUpdate)
		case QMasterDataWritten:
			dst = bin.AppendU32(dst, s.MasterDataWritten)
		case QInvoker:
			dst = appendLen8(dst, s.InvokerUser)
			dst = appendLen8(dst, s.InvokerHost)
		case QUpdatedDBNames:
			dst = append(dst, s.UpdatedDBCount)
			if s.UpdatedDBCount <= maxDBsInEvent {
				if n := bytes.Count(s.UpdatedDBs, []byte{0}); n != int(s.UpdatedDBCount) || len(s.UpdatedDBs) > 0 && s.UpdatedDBs[len(s.UpdatedDBs)-1] != 0 {
					return dst, corruptf("query: %d updated database names for a count of %d", n, s.UpdatedDBCount)
				}
				dst = append(dst, s.UpdatedDBs...)
			}
		case QMicroseconds:
			dst = bin.AppendU24(dst, s.Microseconds)
		case QCommitTS:
			dst = bin.AppendU64(dst, s.CommitTS)
		case QCommitTS2:
			dst = bin.AppendU64(dst, s.CommitTS2[0])
			dst = bin.AppendU64(dst, s.CommitTS2[1])
		case QExplicitDefaultsForTimestamp:
			dst = append(dst, s.ExplicitDefaultsForTimestamp)
		case QDDLLoggedWithXID:
			dst = bin.AppendU64(dst, s.DDLXID)
		case QDefaultCollationForUTF8MB4:
			dst = bin.AppendU16(dst, s.DefaultCollationForUTF8MB4)
		case QSQLRequirePrimaryKey:
			dst = append(dst, s.SQLRequirePrimaryKey)
		case QDefaultTableEncryption:
			dst = append(dst, s.DefaultTableEncryption)
		case QHRNow:
			dst = bin.AppendU24(dst, s.HRNow)
		case QXID:
			dst = bin.AppendU64(dst, s.XID)
		case QGTIDFlags3:
			dst = append(dst, s.GTIDFlags3)
			if s.GTIDFlags3&(gtidFlags3CommitAlter|gtidFlags3RollbackAlter) != 0 {
				dst = bin.AppendU64(dst, s.StartAlterSeqNo)
			}
		case QCharacterSetCollations:
			if len(s.CharsetCollations)%4 != 0 || len(s.CharsetCollations) > 255*4 {
				return dst, corruptf("query: character set collations of %d bytes", len(s.CharsetCollations))
			}
			dst = append(dst, byte(len(s.CharsetCollations)/4))
			dst = append(dst, s.CharsetCollations...)
		default:
			return dst, unsupportedf("query: cannot encode status variable %d", c)
		}
	}
	return append(dst, s.Unknown...), nil
}

// appendLen8 appends a 1-byte length and b (cut to 255 bytes).
func appendLen8(dst, b []byte) []byte {
	if len(b) > 255 {
		b = b[:255]
	}
	return append(append(dst, byte(len(b))), b...)
}

// DefaultMaxUncompressed is the largest decompressed text a compressed
// event may declare unless the body's own limit says otherwise: 1 GiB, the
// server's max_allowed_packet ceiling.
const DefaultMaxUncompressed = 1 << 30

// Query is the body of QUERY_EVENT (2) and of MariaDB's
// QUERY_COMPRESSED_EVENT (165): a statement and the session state it ran in.
// Its []byte fields alias the decoded bytes, except Query of a compressed
// event, which is decompressed into a buffer the Query owns and reuses on
// the next decode.
type Query struct {
	// Type is QueryEvent or MariaQueryCompressedEvent; the zero value encodes
	// as QueryEvent.
	Type      Type
	ThreadID  uint32 // slave_proxy_id: the client connection's thread id
	ExecTime  uint32 // seconds the statement took on the primary
	ErrorCode uint16 // the error the statement ended with on the primary
	// NoStatusVars is true for the 11-byte post-header of binlog v3 (MySQL
	// 4.x), which has no status-variable block.
	NoStatusVars bool
	// PostHeaderExtra holds post-header bytes beyond the 13 this type
	// defines, when a format description announces more.
	PostHeaderExtra []byte
	Status          QueryStatus
	Schema          []byte // the default database ("" when none)
	// Query is the statement text, decompressed for a compressed event. It
	// is kept as bytes in the connection's character set.
	Query []byte
	// Compressed is, for a QUERY_COMPRESSED_EVENT, the compressed record as
	// stored (header byte, big-endian length, zlib stream); it is written
	// back as is. Set it to nil after changing Query to have Query
	// compressed again.
	Compressed []byte
	// MaxUncompressed bounds the declared decompressed size of a compressed
	// query (0 means DefaultMaxUncompressed). It is kept across decodes.
	MaxUncompressed int

	buf []byte // decompressed text, reused
	z   inflater
}

func init() {
	register(func() Body { return new(Query) }, QueryEvent, MariaQueryCompressedEvent)
}

// EventType returns the type the body encodes as.
func (q *Query) EventType() Type {
	if q.Type == 0 {
		return QueryEvent
	}
	return q.Type
}

// DecodeBody decodes a QUERY_EVENT or QUERY_COMPRESSED_EVENT body.
func (q *Query) DecodeBody(f *FormatDescription, t Type, b []byte) error {
	*q = Query{Type: t, buf: q.buf[:0], z: q.z, MaxUncompressed: q.MaxUncompressed}
	rest, err := q.decodeCommon(f.PostHeaderLen(t, 13), b)
	if err != nil {
		return err
	}
	return q.decodeText(rest)
}

// decodeCommon decodes the post-header, the status variables and the
// schema, returning the bytes after the schema's NUL.
func (q *Query) decodeCommon(phl int, b []byte) ([]byte, error) {
	if phl < 11 {
		return nil, corruptf("query: post-header length %d", phl)
	}
	r := bin.NewReader(b)
	q.ThreadID = r.U32()
	q.ExecTime = r.U32()
	dbLen := int(r.U8())
	q.ErrorCode = r.U16()
	svLen := 0
	if phl == 11 {
		q.NoStatusVars = true
	} else {
		svLen = int(r.U16())
		if phl > 13 {
			q.PostHeaderExtra = r.Bytes(phl - 13)
		}
	}
	if r.Err() != nil {
		return nil, short("query")
	}
	if svLen > r.Len() {
		return nil, truncatedf("query: status variables of %d bytes in a body of %d", svLen, len(b))
	}
	if err := q.Status.decode(r.Bytes(svLen)); err != nil {
		return nil, err
	}
	q.Schema = r.Bytes(dbLen)
	nul := r.U8()
	if r.Err() != nil {
		return nil, corruptf("query: schema of %d bytes runs past the body", dbLen)
	}
	if nul != 0 {
		return nil, corruptf("query: schema not NUL-terminated")
	}
	return r.Rest(), nil
}

// decodeText sets Query from the bytes after the schema.
func (q *Query) decodeText(rest []byte) error {
	if q.Type != MariaQueryCompressedEvent {
		q.Query = rest
		return nil
	}
	q.Compressed = rest
	max := q.MaxUncompressed
	if max <= 0 {
		max = DefaultMaxUncompressed
	}
	text, err := q.uncompress(rest, max)
	if err != nil {
		return err
	}
	q.Query = text
	return nil
}

// uncompress inflates a MariaDB compressed record into q.buf.
func (q *Query) uncompress(rec []byte, max int) ([]byte, error) {
	n, data, err := parseCompressedHeader(rec)
	if err != nil {
		return nil, err
	}
	if n > uint64(max) {
		return nil, corruptf("compressed record declares %d bytes, limit %d", n, max)
	}
	q.buf, err = q.z.inflate(q.buf, data, int(n))
	if err != nil {
		return nil, err
	}
	return q.buf, nil
}

// parseCompressedHeader reads the header of a MariaDB compressed record (as
// binlog_buf_compress writes it): one byte with the top bit set, the
// algorithm in bits 4–6 (0 = zlib) and the length's byte count (1–4) in bits
// 0–2, then the uncompressed length big-endian. It returns that length and
// the zlib stream.
func parseCompressedHeader(rec []byte) (uint64, []byte, error) {
	if len(rec) == 0 {
		return 0, nil, corruptf("compressed record: empty")
	}
	h := rec[0]
	if h&0x80 == 0 {
		return 0, nil, corruptf("compressed record: header byte %#x without the compressed bit", h)
	}
	if alg := (h >> 4) & 7; alg != 0 {
		return 0, nil, unsupportedf("compressed record: algorithm %d", alg)
	}
	lenlen := int(h & 7)
	if lenlen < 1 || lenlen > 4 || h&0x08 != 0 {
		return 0, nil, corruptf("compressed record: header byte %#x", h)
	}
	if len(rec) < 1+lenlen {
		return 0, nil, corruptf("compressed record: truncated length")
	}
	var n uint64
	for _, c := range rec[1 : 1+lenlen] {
		n = n<<8 | uint64(c)
	}
	return n, rec[1+lenlen:], nil
}

// AppendCompressedRecord appends text as a MariaDB compressed record (the
// form binlog_buf_compress writes: header byte, big-endian length, zlib
// stream), as used by QUERY_COMPRESSED_EVENT and the compressed rows events.
func AppendCompressedRecord(dst, text []byte) ([]byte, error) {
	n := uint64(len(text))
	if n > 1<<32-1 {
		return dst, unsupportedf("compressed record of %d bytes", n)
	}
	lenlen := 1
	for n>>(8*lenlen) != 0 {
		lenlen++
	}
	dst = append(dst, 0x80|byte(lenlen))
	for i := lenlen - 1; i >= 0; i-- {
		dst = append(dst, byte(n>>(8*i)))
	}
	w := sliceWriter{dst}
	zw := zlib.NewWriter(&w)
	if _, err := zw.Write(text); err != nil {
		return dst, err
	}
	if err := zw.Close(); err != nil {
		return dst, err
	}
	return w.b, nil
}

type sliceWriter struct{ b []byte }

func (w *sliceWriter) Write(p []byte) (int, error) { w.b = append(w.b, p...); return len(p), nil }

// AppendBody appends the encoded body.
func (q *Query) AppendBody(dst []byte, f *FormatDescription) ([]byte, error) {
	dst, err := q.appendCommon(dst, f.PostHeaderLen(q.EventType(), 13), nil)
	if err != nil {
		return dst, err
	}
	return q.appendText(dst)
}

// appendCommon appends the post-header (with derived, the post-header bytes
// of a derived event, in place of PostHeaderExtra), the status variables and
// the schema with its NUL.
func (q *Query) appendCommon(dst []byte, phl int, derived []byte) ([]byte, error) {
	if len(q.Schema) > 255 {
		return dst, corruptf("query: schema of %d bytes", len(q.Schema))
	}
	dst = bin.AppendU32(dst, q.ThreadID)
	dst = bin.AppendU32(dst, q.ExecTime)
	dst = append(dst, byte(len(q.Schema)))
	dst = bin.AppendU16(dst, q.ErrorCode)
	if q.NoStatusVars || phl == 11 {
		if q.Status.n != 0 || len(q.Status.Unknown) != 0 {
			return dst, corruptf("query: status variables in a binlog v3 query")
		}
		return append(append(dst, q.Schema...), 0), nil
	}
	lenAt := len(dst)
	dst = append(dst, 0, 0)
	if derived != nil {
		dst = append(dst, derived...)
	} else if phl > 13 {
		dst = appendFixed(dst, q.PostHeaderExtra, phl-13)
	}
	start := len(dst)
	dst, err := q.Status.append(dst)
	if err != nil {
		return dst, err
	}
	n := len(dst) - start
	if n > 0xffff {
		return dst, corruptf("query: status variables of %d bytes", n)
	}
	dst[lenAt], dst[lenAt+1] = byte(n), byte(n>>8)
	return append(append(dst, q.Schema...), 0), nil
}

func (q *Query) appendText(dst []byte) ([]byte, error) {
	if q.EventType() != MariaQueryCompressedEvent {
		return append(dst, q.Query...), nil
	}
	if q.Compressed != nil {
		return append(dst, q.Compressed...), nil
	}
	if len(q.Query) == 0 {
		// MariaDB takes a declared length of 0 for a broken record.
		return dst, unsupportedf("query: an empty compressed query cannot be read by MariaDB")
	}
	return AppendCompressedRecord(dst, q.Query)
}

func equalFold(s []byte, word string) bool {
	if len(s) != len(word) {
		return false
	}
	for i := range s {
		c := s[i]
		if 'a' <= c && c <= 'z' {
			c -= 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}

// Clone returns a deep copy of q that shares no memory with the bytes it was
// decoded from.
func (q *Query) Clone() *Query {
	c := &Query{
		Type: q.Type, ThreadID: q.ThreadID, ExecTime: q.ExecTime, ErrorCode: q.ErrorCode,
		NoStatusVars: q.NoStatusVars, MaxUncompressed: q.MaxUncompressed,
		PostHeaderExtra: bytes.Clone(q.PostHeaderExtra),
		Status:          q.Status,
		Schema:          bytes.Clone(q.Schema),
		Query:           bytes.Clone(q.Query),
		Compressed:      bytes.Clone(q.Compressed),
	}
	s := &c.Status
	s.Catalog = bytes.Clone(s.Catalog)
	s.TimeZone = bytes.Clone(s.TimeZone)
	s.InvokerUser = bytes.Clone(s.InvokerUser)
	s.InvokerHost = bytes.Clone(s.InvokerHost)
	s.UpdatedDBs = bytes.Clone(s.UpdatedDBs)
	s.CharsetCollations = bytes.Clone(s.CharsetCollations)
	s.Unknown = bytes.Clone(s.Unknown)
	return c
}

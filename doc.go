// Package binlogkit reads, decodes, writes and transforms MySQL and MariaDB
// binary logs.
//
// This package holds no code: it is the front page. The work is done by
//
//   - [github.com/binlogkit/binlogkit/event]: the 19-byte header and a typed,
//     zero-copy view of every event MySQL 5.0–9.x and MariaDB 10.x–11.x
//     write, CRC32 checksums, and the encoder for each event (decode and
//     encode are exact mirrors: re-encoding a decoded event gives back its
//     bytes).
//   - [github.com/binlogkit/binlogkit/binlog]: Sources (binlog files, lists of
//     files, any io.Reader, gzip/xz/lz4/zstd-compressed files, MariaDB and MySQL
//     encrypted files with their keys), the Reader with
//     Next and range-over-func iterators over events and transactions,
//     Filters (positions, times, tables, types, server ids, GTID sets), Sinks
//     and Copy (the Writer is a Sink: a filtered copy is a binlog file), and
//     GTIDs and GTID sets of both flavors.
//   - [github.com/binlogkit/binlogkit/rowcodec]: the column values inside row
//     events, decoded exactly (DECIMAL to 65 digits, every temporal type,
//     strings with their charsets, ENUM/SET, BIT, GEOMETRY, VECTOR, MySQL
//     binary JSON and partial-update diffs) into reused Values without
//     allocating, and encoded back; Tables, the table id cache rows events
//     are decoded with; Value.AppendJSON, the JSON form of a value.
//   - [github.com/binlogkit/binlogkit/schema]: the definitions of the
//     tables rows belong to (column names, generated and invisible columns,
//     keys) as of each position, from Table_map metadata, CREATE TABLE
//     files or a live server, tracked through the DDL in the stream.
//   - [github.com/binlogkit/binlogkit/sqlgen]: exact forward SQL for row
//     events, with column names from Table_map metadata or a schema
//     Provider.
//   - [github.com/binlogkit/binlogkit/flashback]: the inverse of a binlog
//     range, as rollback SQL or a rollback binlog, in bounded memory.
//   - [github.com/binlogkit/binlogkit/mask]: masking of sensitive values in
//     events before any output.
//   - [github.com/binlogkit/binlogkit/backup]: the binlog archive: a
//     continuous, locked, byte-for-byte mirror of a server's binlogs
//     (compressed, age-encrypted, expiring), its index, verification, and
//     reading it back as if it were the server.
//   - examples/: command-line tools built on the public API (binlog2sql,
//     flashback, binlogdump, binlogstat, binlogview, binlogbackup,
//     binlogrestore, binlogcheck, fakeprimary).
//
// A Reader hands out events that alias its buffer until the next call, so a
// loop over a multi-gigabyte binlog allocates nothing per event:
//
//	src, err := binlog.OpenFile("mysql-bin.000042")
//	if err != nil {
//		return err
//	}
//	defer src.Close()
//	r := binlog.NewReader(src)
//	for ev, err := range r.Events(ctx) {
//		if err != nil {
//			return err // a *binlog.Error: file, byte offset, event type
//		}
//		if q, ok := ev.Body.(*event.Query); ok {
//			fmt.Printf("%d: %s\n", ev.Pos, q.Query)
//		}
//	}
//
// Decoding errors never panic; each names the file, the byte offset and the
// event type, and wraps one of binlog.ErrChecksum, ErrTruncated, ErrCorrupt or
// ErrUnsupported.
package binlogkit

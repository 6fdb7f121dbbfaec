// Package binlog reads and writes binary log files and streams.
//
// A Source yields raw events: OpenFile (plain, gzip, lz4 or zstd, detected
// by magic; a plain file is memory-mapped where the system allows),
// OpenFiles for an ordered list (FileList.Range narrows it to a start and a
// stop file), NewStreamSource for any io.Reader. A Reader decodes them into
// *event.Event values: it verifies CRC32 checksums, follows
// FORMAT_DESCRIPTION, table maps and rotations, unpacks TRANSACTION_PAYLOAD
// events, and offers Next, an Events iterator and a Transactions iterator.
// Events alias the Reader's buffers until its next call; steady-state
// reading allocates nothing.
//
// Filters (PositionRange, TimeRange, TableFilter, Types, ServerIDs,
// GTIDFilter) keep or drop events before any row byte is read. Those that
// are EarlyFilters judge TABLE_MAP and rows events by table name before the
// body is decoded, so dropped events cost little more than their headers
// and checksums (SkipDroppedChecksums drops the checksums too). Copy wires a
// Reader through filters into a Sink. GTID and GTIDSet handle MySQL
// (uuid:1-5, tagged uuid:tag:1-3) and MariaDB (domain-server-seq) GTIDs; a
// GTIDSet is a replication position for MariaDB (0-1-100: everything up to
// seq_no 100), a GTIDSelection names transactions (0-1-100: that one;
// 0-1-5..8: four), as GTIDFilter selects them.
// Writer writes a binlog file, filling in sizes, positions and checksums.
//
// Parallel cuts a stream into batches of whole transactions, decodes them
// on several goroutines (each with its own Reader) and hands the results
// back in input order, within a fixed number of batch buffers.
//
// Errors are *Error values naming the file, the byte offset and the event
// type, wrapping ErrChecksum, ErrTruncated, ErrCorrupt or ErrUnsupported.
package binlog

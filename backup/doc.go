// Package backup keeps a binlog archive: a continuous, byte-for-byte copy of
// a MySQL or MariaDB server's binary logs in a directory, and reads it back
// as if it were the server.
//
// An archive directory holds one stored file per binlog file of the server
// and an index:
//
//	binlog.000041.zst.age     a completed file: zstd frame, age-encrypted
//	binlog.000042.partial     the file being written (.partial.age when encrypting)
//	binlogbackup.index        one JSON line per file (Entry): sizes, SHA-256, GTIDs,
//	                          times, retention's deletions, purge gaps
//	binlogbackup.lock         held by the one process writing the archive (Lock)
//	binlogbackup.verified     the outcome of the last Verify
//
// Stored files are standard formats: zstd -d, lz4 -d, gzip -d and
// age -d -i KEY give the server's file back byte for byte.
//
// Writing: a Backup connects to the server as a replica (binlog.Dial) and
// feeds a Mirror, following the server until its context ends, across
// reconnects and server restarts; its Status and WriteMetrics (Prometheus
// text format) say how far behind the server it is. A purge gap (the server
// no longer has the file the archive continues from) stops it with a
// *GapError naming what is lost, unless Config.NewChain starts a new chain.
// Retention removes old completed files, never one the archive continues
// from.
//
// Reading: Open returns a binlog.Source over the archive (decompressing and
// decrypting as it reads, positions named as the server names its files);
// OpenFile opens one stored file; Files lists them; Verify checks every byte
// of the archive against its checksums, its chain of files and GTIDs, and
// the index.
package backup

package backup

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteMetrics writes the backup's state in the Prometheus text exposition
// format (version 0.0.4), as a /metrics endpoint serves it: how far behind
// the server the archive is (seconds and bytes), the current file and
// position, files and bytes stored, what was written, reconnects, errors,
// the last completion and the last verification.
func (b *Backup) WriteMetrics(w io.Writer) error {
	s := b.Status()
	bytesBehind, secondsBehind, known := b.Behind()
	verifiedAt, verifiedOK := LastVerified(s.Dir)
	bw := bufio.NewWriter(w)
	metric := func(name, typ, help string, v float64, labels ...string) {
		fmt.Fprintf(bw, "# HELP %s %s\n# TYPE %s %s\n%s", name, help, name, typ, name)
		if len(labels) > 0 {
			bw.WriteByte('{')
			for i := 0; i+1 < len(labels); i += 2 {
				if i > 0 {
					bw.WriteByte(',')
				}
				fmt.Fprintf(bw, "%s=%q", labels[i], escapeLabel(labels[i+1]))
			}
			bw.WriteByte('}')
		}
		bw.WriteByte(' ')
		bw.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
		bw.WriteByte('\n')
	}
	unix := func(t time.Time) float64 {
		if t.IsZero() {
			return 0
		}
		return float64(t.UnixNano()) / 1e9
	}
	b2f := func(v bool) float64 {
		if v {
			return 1
		}
		return 0
	}
	metric("binlogbackup_up", "gauge", "1 while the replication stream from the server is connected.", b2f(s.Connected))
	if known {
		metric("binlogbackup_seconds_behind_server", "gauge", "How long the oldest binlog bytes the server holds and the archive lacks have been on the server (0 when caught up; to within the poll interval).", secondsBehind)
		metric("binlogbackup_bytes_behind_server", "gauge", "Binlog bytes the server holds past the archive's end.", float64(bytesBehind))
	}
	if n := len(s.ServerFiles); n > 0 {
		metric("binlogbackup_server_binlog_files", "gauge", "Binlog files the server holds (SHOW BINARY LOGS).", float64(n))
		metric("binlogbackup_server_poll_timestamp_seconds", "gauge", "When the server's binlog list was last read.", unix(s.ServerPolled))
	}
	_, num := splitBinlogName(s.File)
	metric("binlogbackup_current_file_info", "gauge", "The file the archive is writing (or last completed), as a label.", 1, "file", s.File)
	metric("binlogbackup_current_file_number", "gauge", "The numeric extension of the current file.", float64(max(num, 0)))
	metric("binlogbackup_current_position_bytes", "gauge", "The archive's position in the current file (its size).", float64(s.Pos))
	metric("binlogbackup_files_stored", "gauge", "Binlog files present in the archive (the one being written included).", float64(s.FilesStored))
	metric("binlogbackup_stored_bytes", "gauge", "Bytes on disk of the archive's completed files (compressed, encrypted).", float64(s.StoredBytes))
	metric("binlogbackup_events_written_total", "counter", "Events written since the process started.", float64(s.Mirror.Events))
	metric("binlogbackup_bytes_written_total", "counter", "Binlog bytes written since the process started.", float64(s.Mirror.Bytes))
	metric("binlogbackup_files_completed_total", "counter", "Files completed since the process started.", float64(s.Mirror.FilesCompleted))
	metric("binlogbackup_files_deleted_total", "counter", "Files removed by retention since the process started.", float64(s.Mirror.FilesDeleted))
	metric("binlogbackup_reconnects_total", "counter", "Connections to the server after the first.", float64(s.Reconnects))
	metric("binlogbackup_errors_total", "counter", "Errors met: failed connections, refused events, failed writes.", float64(s.Errors))
	metric("binlogbackup_last_event_timestamp_seconds", "gauge", "Header time of the last event written.", unix(s.Mirror.LastEvent))
	metric("binlogbackup_last_file_completed_timestamp_seconds", "gauge", "When a file was last completed.", unix(s.Mirror.LastCompleted))
	metric("binlogbackup_last_verified_timestamp_seconds", "gauge", "When binlogbackup verify last checked the archive (0: never).", unix(verifiedAt))
	metric("binlogbackup_last_verify_ok", "gauge", "1 when the last verification found no problem.", b2f(verifiedOK))
	metric("binlogbackup_start_timestamp_seconds", "gauge", "When the process opened the archive.", unix(s.Started))
	return bw.Flush()
}

// escapeLabel escapes what %q would not render as Prometheus expects.
func escapeLabel(s string) string {
	return strings.ToValidUTF8(s, "?")
}

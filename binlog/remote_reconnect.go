package binlog

import (
	"context"
	"fmt"
	"time"
)

// reconnect replaces a dropped connection with a new dump resuming at the
// checkpoint, retrying with exponential backoff.
func (s *RemoteSource) reconnect(ctx context.Context, cause error) error {
	if s.c != nil {
		s.c.PacketConn.Close()
		s.c = nil
	}
	s.broken = true
	if s.cfg.NoReconnect {
		return s.fail(fmt.Errorf("binlog: connection to %s lost at %s:%d: %w", s.pcfg.Addr, s.file, s.pos, cause))
	}
	// The owed ACK and the pending boundary belong to events the consumer
	// has not accepted (accept ran before this read).
	s.ack, s.pend, s.pendSet = false, false, nil
	wait := s.cfg.RetryMinBackoff
	for attempt := 1; ; attempt++ {
		if s.cfg.MaxRetries > 0 && attempt > s.cfg.MaxRetries {
			return s.fail(fmt.Errorf("binlog: connection to %s lost, %d reconnection attempts failed: %w", s.pcfg.Addr, s.cfg.MaxRetries, cause))
		}
		if s.log != nil {
			s.log.Warn("binlog: connection lost, reconnecting", "server", s.pcfg.Addr, "attempt", attempt,
				"wait", wait, "resume", s.Checkpoint().String(), "by_gtid", s.useGTID, "cause", cause.Error())
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		err := s.open(ctx, false)
		if err == nil {
			s.reconnects++
			if s.log != nil {
				s.log.Info("binlog: reconnected", "server", s.pcfg.Addr, "attempt", attempt, "reconnects", s.reconnects)
			}
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !retryable(err) {
			return s.fail(fmt.Errorf("binlog: reconnecting to %s: %w", s.pcfg.Addr, err))
		}
		cause = err
		wait = min(2*wait, s.cfg.RetryMaxBackoff)
	}
}

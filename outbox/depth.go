package outbox

import (
	"context"
	"fmt"
)

// Depth returns how many messages wait in the outbox (queued, or read by a worker and not yet sent),
// by priority class. There is one class for now, "all": the length of the line's stream, whose entries
// are deleted once sent or failed for good.
func (o *Outbox) Depth(ctx context.Context) (map[string]int64, error) {
	n, err := o.rdb.XLen(ctx, o.keys.stream()).Result()
	if err != nil {
		return nil, fmt.Errorf("outbox depth: %w", err)
	}
	return map[string]int64{"all": n}, nil
}

package outbox

import (
	"context"
	"fmt"
	"io"
	"sync"

	"peerline/phone"
)

// Console writes messages to w instead of sending them: the local trial mode without Twilio credentials.
// Numbers are masked; the text is shown, since seeing it is the point of a trial.
type Console struct {
	mu sync.Mutex
	w  io.Writer
}

// NewConsole returns a Console writing to w.
func NewConsole(w io.Writer) *Console { return &Console{w: w} }

// Send writes m to the console.
func (c *Console) Send(_ context.Context, m Message) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := fmt.Fprintf(c.w, "[not sent: console mode] to %s via %s (%s):\n  %s\n", phone.Masked(m.To), m.Channel, m.Kind, m.Body)
	return err
}

package llm

import "strings"

// lookup returns the capabilities of name and logs, once per name for the
// Client's lifetime, a warning when the table does not know the model, so
// an operator learns what the client is guessing. Safe for concurrent use.
func (c *Client) lookup(name string) ModelInfo {
	info := c.models.lookup(name)
	if info.Assumed {
		if _, seen := c.warned.LoadOrStore(strings.ToLower(name), struct{}{}); !seen {
			c.log.Warn("model not in the capability table; its capabilities are assumed",
				"model", name, "assumes", info.Assumptions())
		}
	}
	return info
}

package llm

import "strings"

// lookup returns the capabilities of name. The first time it meets a name
// (for the Client's lifetime) it warns about what the operator should
// know: that the table does not know the model and what the client
// assumes, or that the model thinks by default while the configuration
// sends no thinking switch. Safe for concurrent use.
func (c *Client) lookup(name string) ModelInfo {
	info := c.models.lookup(name)
	if !info.Assumed && !c.noSwitch(info) {
		return info
	}
	if _, seen := c.warned.LoadOrStore(strings.ToLower(name), struct{}{}); seen {
		return info
	}
	if info.Assumed {
		c.log.Warn("model not in the capability table; its capabilities are assumed",
			"model", name, "assumes", info.Assumptions())
	} else {
		c.log.Warn("model thinks unless told not to, but thinking_param \"none\" sends no switch: it will always think",
			"model", name)
	}
	return info
}

// noSwitch reports whether a model that thinks by default cannot be told
// not to: the OpenAI protocol with ThinkingParamNone.
func (c *Client) noSwitch(info ModelInfo) bool {
	return info.Thinking == ThinkingHybrid && info.ThinksByDefault &&
		c.cfg.Protocol == ProtocolOpenAI && c.cfg.ThinkingParam == ThinkingParamNone
}

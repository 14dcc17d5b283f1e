package fact

// Extract is a stand-in until the extractor lands (lead's stub; delete on merge).
func Extract(text string, c Context) []Fact { return nil }

// English is a stand-in (lead's stub; delete on merge).
func (f Fact) English(v any) string { return "" }

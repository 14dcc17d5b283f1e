// Package fact reads the figures of a report passage as facts: which
// indicator a figure is about, how it is measured (growth, level, share,
// limit...), the value and unit as written and normalised, the year it is
// about, whether it is a target, a result, a five-year average or a
// cumulative total, and the exact span that quotes it.
//
// Extract is rule-based and general: it knows Chinese numerals and scales,
// units and counters, the measure words reports put between an indicator
// and its figure, and the cues that say a figure is a target or a result
// (cues.go lists each word and why it is there). It asks the indicator
// vocabulary (package indicator) which indicator the words before a figure
// name; when the vocabulary names none, the words themselves are the
// fact's label.
//
// Figures is the plain number scanner under Extract, also used by the
// answerers' grounding check: every number of a text with its scale.
//
// AppendFacts and ReadFacts store facts compactly in the index file.
package fact

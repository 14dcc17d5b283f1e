package hanzi

// The years a report can be about: from the founding of the People's
// Republic to the end of the century. A four-digit number outside them
// ("1850年", "1921年" in a commemoration) is not a report year.
const (
	MinYear = 1949
	MaxYear = 2100
)

// ValidYear reports whether y is a year from MinYear to MaxYear.
func ValidYear(y int) bool { return y >= MinYear && y <= MaxYear }

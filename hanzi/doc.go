// Package hanzi holds the Chinese-text helpers that corpus and the
// answering packages share: which runes are Chinese characters (IsHan,
// HasHan), the value of a Chinese numeral (ParseNumber: 十二, 三点五,
// 一亿二千万), the range of years a government work report can be about
// (ValidYear) and full-width digits written as ASCII (FoldWidthDigits).
//
// Keeping one copy of each means the corpus and the questions asked of it
// agree on what counts as a character, a number or a year. The package
// uses the standard library only.
package hanzi
